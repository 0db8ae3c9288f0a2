package io.guestloop.tck;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A blocking TLS client for tests that must see the TLS records themselves, which
 * {@link javax.net.ssl.SSLSocket} hides: whether a stream ended with close_notify or with a bare end
 * of TCP, and sending close_notify while still reading (TLS 1.3 half-close). It drives a JDK
 * {@link SSLEngine} over a plain {@link Socket}.
 *
 * <p><b>Threading:</b> one test thread at a time.
 */
public final class TlsPeer implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private final ByteBuffer netOut;
    private boolean closeNotifyReceived;

    /** A client engine of {@code context} on the connected {@code socket}; call {@link #handshake()} next. */
    public TlsPeer(Socket socket, SSLContext context) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = context.createSSLEngine("localhost", socket.getPort());
        engine.setUseClientMode(true);
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize()).flip();
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize()).flip();
        netOut = ByteBuffer.allocate(s.getPacketBufferSize());
    }

    /** Runs the handshake to its end (delegated tasks inline, on this thread). */
    public void handshake() throws IOException {
        engine.beginHandshake();
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapOnce()) {
                        throw new SSLException("the server closed during the handshake");
                    }
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** The session, once the handshake is done. */
    public SSLSession session() {
        return engine.getSession();
    }

    /** Encrypts and sends {@code data}. */
    public void write(byte[] data) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data);
        while (src.hasRemaining()) {
            wrap(src);
        }
    }

    /** Sends close_notify; reading goes on (a TLS 1.3 half-close). */
    public void sendCloseNotify() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            wrap(ByteBuffer.allocate(0));
        }
    }

    /** Reads exactly {@code n} plaintext bytes, failing when the stream ends first. */
    public byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            if (!appIn.hasRemaining() && !fill()) {
                throw new java.io.EOFException("TLS stream ended after " + got + " of " + n + " bytes");
            }
            int k = Math.min(n - got, appIn.remaining());
            appIn.get(b, got, k);
            got += k;
        }
        return b;
    }

    /** Reads plaintext until the stream ends and returns it; then {@link #closeNotifyReceived()} says how it ended. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        do {
            byte[] chunk = new byte[appIn.remaining()];
            appIn.get(chunk);
            all.write(chunk);
        } while (fill());
        return all.toByteArray();
    }

    /** True when the stream ended with the peer's close_notify, false when TCP simply ended. */
    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /** Unwraps until some plaintext is there; false at the end of the stream. */
    private boolean fill() throws IOException {
        while (!appIn.hasRemaining()) {
            if (closeNotifyReceived || !unwrapOnce()) {
                return false;
            }
        }
        return true;
    }

    /** Unwraps one record, reading from the socket as needed; false when the stream ended. */
    private boolean unwrapOnce() throws IOException {
        for (;;) {
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    }
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                        wrap(ByteBuffer.allocate(0)); // a key update to answer, say
                    }
                    return true;
                }
                case CLOSED -> {
                    closeNotifyReceived = true;
                    return false;
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (netIn.limit() == netIn.capacity() && netIn.position() == 0) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    netIn.compact();
                    int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
                    if (n > 0) {
                        netIn.position(netIn.position() + n);
                    }
                    netIn.flip();
                    if (n < 0) {
                        return false;
                    }
                }
            }
        }
    }

    private void wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("a record does not fit in " + netOut.capacity() + " bytes");
        }
        out.write(netOut.array(), 0, netOut.position());
        out.flush();
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        bigger.put(b).flip();
        return bigger;
    }

    /** Closes the socket (no close_notify: use {@link #sendCloseNotify()} for that). */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
