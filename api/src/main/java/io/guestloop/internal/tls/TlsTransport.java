package io.guestloop.internal.tls;

import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsConfig;
import io.guestloop.tls.TlsInfo;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One connection's TLS: an {@link SSLEngine} between its socket and its plaintext reads and writes.
 * To the connection it is the channel it reads and writes (plaintext in, plaintext out), plus the
 * handshake it drives first and the close_notify it sends last.
 *
 * <ul>
 *   <li>{@link #read} reads ciphertext into the thread's shared buffer and unwraps what it can into
 *       the caller's buffer; a partial record stays as a leftover sized to it. Post-handshake
 *       messages (TLS 1.3 tickets and key updates, a TLS 1.2 renegotiation the engine allows) are
 *       answered on the way. A close_notify, or the end of the stream, reads as the end of the
 *       stream.</li>
 *   <li>{@link #write} wraps plaintext into records and writes them; it reports as written only
 *       plaintext it wrapped, and ciphertext the socket did not take waits here, sized to what is
 *       left, until {@link #flush}. So the connection's write queue and water marks count plaintext;
 *       this layer adds at most one write's worth of ciphertext.</li>
 *   <li>Delegated tasks run on the settings' executor, never on the loop; meanwhile reads and
 *       writes make no progress and {@link #interest} asks for nothing, and the owner hears
 *       {@link Owner#tasksDone} on its own thread when they are done.</li>
 * </ul>
 *
 * <p><b>Threading:</b> the owning connection's service thread only, but for the delegated tasks.
 */
public final class TlsTransport implements ByteChannel, GatheringByteChannel {

    /** What the connection does for its TLS layer. Called on the connection's thread. */
    public interface Owner {
        /** Readiness interest may have changed (ciphertext waits, a task runs): compute it again. */
        void interestChanged();

        /** Delegated tasks have finished; {@code failure} is what one of them threw, or null. */
        void tasksDone(Throwable failure);

        /** Runs {@code task} on the connection's thread soon; any thread. */
        void post(Runnable task);
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final TlsConfig config;
    private final ByteChannel socket;
    private final SocketAddress peer;
    private final TlsBuffers buffers;
    private final Owner owner;

    private SSLEngine engine;
    /** Ciphertext read and not yet unwrapped (a partial record, or records the caller had no room for). */
    private ByteBuffer inLeft;
    /** Plaintext unwrapped with the handshake's last message, for the first read; else null. */
    private ByteBuffer plainLeft;
    /** Ciphertext wrapped and not yet taken by the socket. */
    private ByteBuffer outLeft;
    private boolean established;
    private boolean tasksRunning;
    /** A write found the engine waiting for the peer (renegotiation): writing waits for a read. */
    private boolean awaitingPeer;
    private boolean inboundDone;
    /** The last socket read reported the end of the stream. */
    private boolean streamEnded;
    private boolean outboundClosed;
    /** The SNI name read from the ClientHello (server with host names only). */
    private String requestedName;
    private TlsInfo info;

    public TlsTransport(TlsConfig config, ByteChannel socket, SocketAddress peer, TlsBuffers buffers, Owner owner) {
        this.config = config;
        this.socket = socket;
        this.peer = peer;
        this.buffers = buffers;
        this.owner = owner;
    }

    // ---- handshake --------------------------------------------------------------------------

    /** How long the handshake may take, in nanoseconds. */
    public long handshakeTimeoutNanos() {
        return config.handshakeTimeout().toNanos();
    }

    /** The failure a handshake timeout ends the connection with. */
    public SSLHandshakeException timedOut() {
        long ms = TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos());
        SSLHandshakeException e = new SSLHandshakeException("TLS handshake with " + peer + " timed out: not finished within "
                + ms + " ms (the handshake timeout of " + (config instanceof ServerTls ? "ServerTls" : "ClientTls") + ")");
        e.initCause(new SocketTimeoutException("TLS handshake timeout of " + ms + " ms"));
        return e;
    }

    /** True once the handshake has completed. */
    public boolean isEstablished() {
        return established;
    }

    /** What the handshake settled, once {@link #isEstablished()}; else null. */
    public TlsInfo info() {
        return info;
    }

    /**
     * Drives the handshake as far as it goes without waiting: true once it has completed. Otherwise
     * {@link #interest} says what it waits for (or a delegated task runs).
     *
     * @throws SSLHandshakeException when the handshake failed (with the engine's message), the peer
     *                               closed during it, or sent something that is not TLS
     * @throws IOException           when the socket failed
     */
    public boolean advance() throws IOException {
        try {
            return step();
        } catch (SSLHandshakeException e) {
            throw e;
        } catch (SSLException e) {
            throw handshakeFailure(e.getMessage(), e);
        }
    }

    private boolean step() throws IOException {
        if (engine == null && !chooseEngine()) {
            return false;
        }
        for (;;) {
            if (!flush() || tasksRunning) {
                return false;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    startTasks();
                    return false;
                }
                case NEED_WRAP -> wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) {
                        return false;
                    }
                }
                default -> {
                    established = true;
                    info = TlsInfos.of(engine, config, peer, requestedName);
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
                ByteBuffer net = readNet(5 + ClientHelloSni.MAX_RECORD);
                ClientHelloSni.Result hello = ClientHelloSni.read(net);
                inLeft = TlsBuffers.leftover(net);
                if (!hello.complete()) {
                    if (streamEnded) {
                        throw closedDuringHandshake();
                    }
                    return false;
                }
                requestedName = hello.hostName();
            }
            engine = EngineSetup.server(server, requestedName, peer);
        }
        engine.beginHandshake();
        return true;
    }

    private void wrapHandshake() throws IOException {
        ByteBuffer net = buffers.netOut(engine.getSession().getPacketBufferSize());
        SSLEngineResult res = engine.wrap(EMPTY, net);
        net.flip();
        send(net);
        if (res.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw handshakeFailure("the TLS engine closed during the handshake with " + peer, null);
        }
        if (res.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw handshakeFailure("a handshake message does not fit in " + net.capacity() + " bytes", null);
        }
    }

    /** Reads and unwraps handshake records; false when it must wait for more bytes. */
    private boolean unwrapHandshake() throws IOException {
        ByteBuffer net = readNet(engine.getSession().getPacketBufferSize());
        boolean progressed = false;
        try {
            while (net.hasRemaining()) {
                ByteBuffer app = buffers.scratch(engine.getSession().getApplicationBufferSize());
                SSLEngineResult res = engine.unwrap(net, app);
                if (res.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (res.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw closedDuringHandshake();
                }
                if (res.bytesProduced() > 0) {
                    HandshakeStatus after = res.getHandshakeStatus();
                    if (after != HandshakeStatus.FINISHED && after != HandshakeStatus.NOT_HANDSHAKING) {
                        throw handshakeFailure("the peer sent application data before the TLS handshake finished", null);
                    }
                    // An engine may unwrap on past the peer's Finished into the data sent right after it
                    // (OpenSSL does): that plaintext is the connection's first read.
                    int end = app.position();
                    plainLeft = ByteBuffer.allocate(res.bytesProduced()).put(app.duplicate().position(end - res.bytesProduced()).limit(end)).flip();
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
            inLeft = TlsBuffers.leftover(net);
        }
        if (streamEnded && !progressed) {
            throw closedDuringHandshake();
        }
        return progressed;
    }

    private SSLHandshakeException closedDuringHandshake() {
        return handshakeFailure("the peer " + peer + " closed the connection during the TLS handshake", null);
    }

    private static SSLHandshakeException handshakeFailure(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    // ---- interest ---------------------------------------------------------------------------

    /** What a handshake in progress waits for. */
    public int handshakeInterest() {
        if (tasksRunning) {
            return 0;
        }
        if (outLeft != null) {
            return SelectionKey.OP_WRITE;
        }
        return SelectionKey.OP_READ;
    }

    /** After the handshake: {@code ops}, the connection's own interest, changed by what this layer waits for. */
    public int interest(int ops) {
        if (tasksRunning) {
            return 0;
        }
        if (outLeft != null) {
            return ops | SelectionKey.OP_WRITE;
        }
        if (awaitingPeer) {
            // The engine needs the peer's next message first; reading (unless paused) brings it.
            return ops & ~SelectionKey.OP_WRITE;
        }
        return ops;
    }

    /** True when whole records (or plaintext) wait here unread, which no readiness event will announce. */
    public boolean hasBufferedRecord() {
        if (plainLeft != null) {
            return true;
        }
        ByteBuffer b = inLeft;
        if (b == null || tasksRunning || b.remaining() < 5) {
            return false;
        }
        int length = ((b.get(b.position() + 3) & 0xff) << 8) | (b.get(b.position() + 4) & 0xff);
        return b.remaining() >= 5 + length;
    }

    /** The size of plaintext one record may carry: a read buffer must hold at least this much. */
    public int applicationBufferSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    // ---- reading ----------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (plainLeft != null) {
            int n = Math.min(plainLeft.remaining(), dst.remaining());
            dst.put(plainLeft.duplicate().limit(plainLeft.position() + n));
            plainLeft.position(plainLeft.position() + n);
            if (!plainLeft.hasRemaining()) {
                plainLeft = null;
            }
            return n;
        }
        if (inboundDone) {
            return -1;
        }
        if (tasksRunning) {
            return 0;
        }
        ByteBuffer net = readNet(engine.getSession().getPacketBufferSize());
        int start = dst.position();
        try {
            unwrapInto(net, dst, start);
        } finally {
            inLeft = TlsBuffers.leftover(net);
        }
        int n = dst.position() - start;
        if (streamEnded && !inboundDone && !hasBufferedRecord()) {
            // The stream ended without close_notify. As Netty does, that ends the plaintext stream
            // like a plain end of stream: the protocol above (a WebSocket close, a length) says whether
            // anything was cut short.
            inboundDone = true;
            inLeft = null;
            try {
                engine.closeInbound();
            } catch (SSLException truncated) {
                // expected: no close_notify came
            }
        }
        if (n > 0) {
            return n;
        }
        return inboundDone ? -1 : 0;
    }

    private void unwrapInto(ByteBuffer net, ByteBuffer dst, int start) throws IOException {
        while (net.hasRemaining()) {
            SSLEngineResult res = engine.unwrap(net, dst);
            switch (res.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    return;
                }
                case BUFFER_OVERFLOW -> {
                    if (dst.position() > start) {
                        return; // the caller takes this first; the rest stays for the next read
                    }
                    throw new SSLException("a TLS record from " + peer + " does not fit in a read buffer of "
                            + dst.remaining() + " bytes");
                }
                case CLOSED -> {
                    inboundDone = true; // close_notify: what follows it is not ours to read
                    net.position(net.limit());
                    postHandshake(res.getHandshakeStatus());
                    return;
                }
                default -> {
                    // OK
                }
            }
            if (awaitingPeer) {
                awaitingPeer = false;
                owner.interestChanged();
            }
            if (!postHandshake(res.getHandshakeStatus())) {
                return;
            }
        }
    }

    /** Answers what the engine needs after the handshake: false while a delegated task runs. */
    private boolean postHandshake(HandshakeStatus hs) throws IOException {
        if (hs == HandshakeStatus.NEED_TASK) {
            startTasks();
            return false;
        }
        if (hs == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
            ByteBuffer net = buffers.netOut(engine.getSession().getPacketBufferSize());
            HandshakeStatus next;
            do {
                SSLEngineResult res = engine.wrap(EMPTY, net);
                next = res.getHandshakeStatus();
                if (res.bytesProduced() == 0) {
                    break;
                }
            } while (next == HandshakeStatus.NEED_WRAP && net.remaining() >= engine.getSession().getPacketBufferSize());
            net.flip();
            send(net);
            if (next == HandshakeStatus.NEED_TASK) {
                startTasks();
                return false;
            }
        }
        return true;
    }

    /**
     * The thread's shared buffer holding what was left over, then what the socket had, flipped;
     * {@link #streamEnded} says whether the socket reported the end of the stream.
     */
    private ByteBuffer readNet(int packetSize) throws IOException {
        ByteBuffer net = buffers.netIn(packetSize);
        if (inLeft != null) {
            net.put(inLeft);
            inLeft = null;
        }
        streamEnded = net.hasRemaining() && socket.read(net) < 0;
        return net.flip();
    }

    // ---- writing ----------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(buffers.one(src), 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Wraps plaintext and writes the records; returns the plaintext bytes taken. Ciphertext the
     * socket did not take waits for {@link #flush}, and nothing more is taken until it has left.
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!flush() || tasksRunning || awaitingPeer) {
            return 0;
        }
        if (outboundClosed || engine.isOutboundDone()) {
            throw new SSLException("cannot write to " + peer + ": the TLS session is closed (close_notify was sent or received)");
        }
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer net = buffers.netOut(packet);
        long taken = 0;
        boolean tasks = false;
        while (net.remaining() >= packet && hasRemaining(srcs, offset, length)) {
            SSLEngineResult res = engine.wrap(srcs, offset, length, net);
            taken += res.bytesConsumed();
            if (res.getStatus() == SSLEngineResult.Status.CLOSED) {
                net.flip();
                send(net);
                throw new SSLException("cannot write to " + peer + ": the TLS session closed");
            }
            HandshakeStatus hs = res.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                tasks = true;
                break;
            }
            if (res.bytesConsumed() == 0 && res.bytesProduced() == 0) {
                if (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    awaitingPeer = true;
                    owner.interestChanged();
                }
                break;
            }
        }
        net.flip();
        send(net);
        if (tasks) {
            startTasks();
        }
        return taken;
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code net}; what the socket does not take waits in {@link #outLeft}. */
    private void send(ByteBuffer net) throws IOException {
        while (net.hasRemaining() && socket.write(net) > 0) {
            // keep writing while the socket takes bytes
        }
        if (net.hasRemaining()) {
            outLeft = TlsBuffers.leftover(net);
            owner.interestChanged();
        }
    }

    /** Writes ciphertext that waits; true when none is left. */
    public boolean flush() throws IOException {
        ByteBuffer left = outLeft;
        if (left == null) {
            return true;
        }
        while (left.hasRemaining() && socket.write(left) > 0) {
            // keep writing while the socket takes bytes
        }
        if (left.hasRemaining()) {
            return false;
        }
        outLeft = null;
        return true;
    }

    // ---- closing ----------------------------------------------------------------------------

    /**
     * Sends close_notify (once) after what waits: true when all of it has left, false when the
     * socket must become writable first. True at once before the handshake completed.
     */
    public boolean closeOutbound() throws IOException {
        if (!established) {
            return true;
        }
        if (!flush()) {
            return false;
        }
        if (!outboundClosed) {
            outboundClosed = true;
            engine.closeOutbound();
            wrapClose();
        }
        return flush();
    }

    private void wrapClose() throws IOException {
        ByteBuffer net = buffers.netOut(engine.getSession().getPacketBufferSize());
        while (!engine.isOutboundDone() && net.remaining() >= 64) {
            SSLEngineResult res = engine.wrap(EMPTY, net);
            if (res.bytesProduced() == 0) {
                break;
            }
        }
        net.flip();
        send(net);
    }

    /**
     * The connection closes now: one try to send what the engine still has to say (close_notify, or
     * the alert of a failed handshake), then every leftover is let go.
     */
    public void closeQuietly() {
        try {
            if (engine != null && !outboundClosed) {
                outboundClosed = true;
                engine.closeOutbound();
                if (flush()) {
                    wrapClose();
                }
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway; the peer may already be gone
        }
        inLeft = null;
        outLeft = null;
        if (engine != null && !inboundDone) {
            inboundDone = true;
            try {
                engine.closeInbound();
            } catch (SSLException e) {
                // no close_notify came: expected when we close first
            }
        }
    }

    /** Ciphertext bytes waiting for the socket (at most one write's worth). */
    public int pendingBytes() {
        return outLeft == null ? 0 : outLeft.remaining();
    }

    // ---- delegated tasks ----------------------------------------------------------------------

    private void startTasks() throws SSLException {
        if (tasksRunning) {
            return;
        }
        tasksRunning = true;
        owner.interestChanged();
        Executor executor = config.delegatedTaskExecutor() != null ? config.delegatedTaskExecutor() : DelegatedTasks.defaultExecutor();
        SSLEngine e = engine;
        try {
            executor.execute(() -> {
                Throwable failure = null;
                try {
                    Runnable task;
                    while ((task = e.getDelegatedTask()) != null) {
                        task.run();
                    }
                } catch (Throwable t) {
                    failure = t;
                }
                Throwable f = failure;
                owner.post(() -> {
                    tasksRunning = false;
                    owner.tasksDone(f);
                });
            });
        } catch (RejectedExecutionException rejected) {
            tasksRunning = false;
            throw new SSLException("the executor for TLS delegated tasks refused the work: " + rejected.getMessage(), rejected);
        }
    }

    /** True while delegated tasks run off the loop. */
    public boolean tasksRunning() {
        return tasksRunning;
    }

    // ---- channel ----------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the socket (the connection closes it itself; this is for the channel contract). */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "TLS[" + peer + (established ? ", " + info.protocol() + "]" : ", handshaking]");
    }
}
