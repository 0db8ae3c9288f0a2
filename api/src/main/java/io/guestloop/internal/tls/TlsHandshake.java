package io.guestloop.internal.tls;

import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Drives one connection's first handshake: makes the engine (a server that chooses by SNI name
 * reads the ClientHello first), then wraps, unwraps and runs delegated tasks until the engine is
 * done, as far as it goes each time without waiting. Plaintext an engine unwraps with the peer's
 * Finished is kept for the connection's first read.
 *
 * <p><b>Threading:</b> the owning connection's service thread only.
 */
final class TlsHandshake {

    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final TlsConfig config;
    private final SocketAddress peer;
    private final TlsRecords records;
    private final TaskRunner tasks;

    private SSLEngine engine;
    /** The SNI name read from the ClientHello (server with host names only). */
    private String requestedName;
    /** Plaintext unwrapped with the handshake's last message; else null. */
    private ByteBuffer firstPlaintext;

    TlsHandshake(TlsConfig config, SocketAddress peer, TlsRecords records, TaskRunner tasks) {
        this.config = config;
        this.peer = peer;
        this.records = records;
        this.tasks = tasks;
    }

    /** The engine, once made; else null. */
    SSLEngine engine() {
        return engine;
    }

    /** The SNI name read from the ClientHello, or null. */
    String requestedName() {
        return requestedName;
    }

    /** Plaintext that came with the handshake's last message, or null. */
    ByteBuffer firstPlaintext() {
        return firstPlaintext;
    }

    /**
     * Goes as far as it can without waiting: true once the handshake has completed; false while it
     * waits for the socket or for delegated tasks off the loop.
     */
    boolean step() throws IOException {
        if (engine == null && !chooseEngine()) {
            return false;
        }
        for (;;) {
            if (!records.flush() || tasks.running()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    if (!tasks.run(engine, true)) {
                        return false;
                    }
                }
                case NEED_WRAP -> wrap();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return false;
                    }
                }
                default -> {
                    return true;
                }
            }
        }
    }

    /** Makes the engine: at once, or for a server that chooses by SNI name, once the ClientHello is in. */
    private boolean chooseEngine() throws IOException {
        if (config instanceof ClientTls client) {
            engine = EngineSetup.client(client, peer);
        } else {
            ServerTls server = (ServerTls) config;
            if (!server.hostNames().isEmpty()) {
                ByteBuffer net = records.read(5 + ClientHelloSni.MAX_RECORD);
                ClientHelloSni.Result hello = ClientHelloSni.read(net);
                records.keep(net);
                if (!hello.complete()) {
                    if (records.streamEnded()) {
                        throw closed();
                    }
                    return false;
                }
                requestedName = hello.hostName();
            }
            engine = EngineSetup.server(server, requestedName, peer);
        }
        records.engineMade(engine);
        engine.beginHandshake();
        return true;
    }

    private void wrap() throws IOException {
        ByteBuffer net = records.out(engine.getSession().getPacketBufferSize());
        SSLEngineResult res = engine.wrap(EMPTY, net);
        net.flip();
        records.send(net);
        if (res.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw failure("the TLS engine closed during the handshake with " + peer, null);
        }
        if (res.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw failure("a handshake message does not fit in " + net.capacity() + " bytes", null);
        }
    }

    /** Reads and unwraps handshake records; false when it must wait for more bytes. */
    private boolean unwrap() throws IOException {
        ByteBuffer net = records.read(engine.getSession().getPacketBufferSize());
        boolean progressed = false;
        try {
            while (net.hasRemaining()) {
                ByteBuffer app = records.scratch(engine.getSession().getApplicationBufferSize());
                SSLEngineResult res = engine.unwrap(net, app);
                if (res.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (res.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw closed();
                }
                if (res.bytesProduced() > 0) {
                    HandshakeStatus after = res.getHandshakeStatus();
                    if (after != HandshakeStatus.FINISHED && after != HandshakeStatus.NOT_HANDSHAKING) {
                        throw failure("the peer sent application data before the TLS handshake finished", null);
                    }
                    // An engine may unwrap on past the peer's Finished into the data sent right after it
                    // (OpenSSL does): that plaintext is the connection's first read.
                    int end = app.position();
                    firstPlaintext = ByteBuffer.allocate(res.bytesProduced())
                            .put(app.duplicate().position(end - res.bytesProduced()).limit(end)).flip();
                    progressed = true;
                    break;
                }
                progressed = true;
                HandshakeStatus hs = res.getHandshakeStatus();
                if (hs != HandshakeStatus.NEED_UNWRAP && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    break;
                }
            }
        } finally {
            records.keep(net);
        }
        if (records.streamEnded() && !progressed) {
            throw closed();
        }
        return progressed;
    }

    private SSLHandshakeException closed() {
        return failure("the peer " + peer + " closed the connection during the TLS handshake", null);
    }

    static SSLHandshakeException failure(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
