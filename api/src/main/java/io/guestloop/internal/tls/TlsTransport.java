package io.guestloop.internal.tls;

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
 *   <li>Delegated tasks run where {@link TaskRunner} says: inline when this engine kind's recent
 *       tasks were short, else on the settings' executor; meanwhile reads and writes make no
 *       progress and {@link #interest} asks for nothing, and the owner hears
 *       {@link Owner#tasksDone} on its own thread when they are done.</li>
 * </ul>
 *
 * <p>The parts: {@link TlsHandshake} drives the first handshake, {@link TlsRecords} does the
 * record I/O on the socket, {@link TaskRunner} runs the delegated tasks and {@link TlsClosing}
 * keeps the close_notify state; this class is the plaintext channel over them, and answers the
 * post-handshake messages.
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

    private final TlsConfig config;
    private final SocketAddress peer;
    private final Owner owner;
    private final TlsRecords records;
    private final TaskRunner tasks;

    /** The first handshake while it runs; null once it has completed. */
    private TlsHandshake handshake;
    private SSLEngine engine;
    /** Plaintext unwrapped with the handshake's last message, for the first read; else null. */
    private ByteBuffer plainLeft;
    /** A write found the engine waiting for the peer (renegotiation): writing waits for a read. */
    private boolean awaitingPeer;
    private final TlsClosing closing;
    /** The SNI name read from the ClientHello (server with host names only), for {@link #info()}. */
    private String requestedName;
    /** Made when first asked for (most handlers never ask), so an idle connection holds no copy of it. */
    private TlsInfo info;

    public TlsTransport(TlsConfig config, ByteChannel socket, SocketAddress peer, TlsBuffers buffers, Owner owner) {
        this.config = config;
        this.peer = peer;
        this.owner = owner;
        this.records = new TlsRecords(socket, buffers, owner);
        this.tasks = new TaskRunner(config, buffers.taskTimes(), owner);
        this.closing = new TlsClosing(records);
        this.handshake = new TlsHandshake(config, peer, records, tasks);
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
        return handshake == null;
    }

    /** What the handshake settled, once {@link #isEstablished()}; else null. */
    public TlsInfo info() {
        if (info == null && isEstablished()) {
            info = TlsInfos.of(engine, config, peer, requestedName);
        }
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
        TlsHandshake h = handshake;
        if (h == null) {
            return true;
        }
        boolean done;
        try {
            done = h.step();
        } catch (SSLHandshakeException e) {
            throw e;
        } catch (SSLException e) {
            throw TlsHandshake.failure(e.getMessage(), e);
        } finally {
            engine = h.engine();
        }
        if (done) {
            plainLeft = h.firstPlaintext();
            requestedName = h.requestedName();
            handshake = null;
        }
        return done;
    }

    // ---- interest ---------------------------------------------------------------------------

    /** What a handshake in progress waits for. */
    public int handshakeInterest() {
        if (tasks.running()) {
            return 0;
        }
        if (records.outputWaits()) {
            return SelectionKey.OP_WRITE;
        }
        return SelectionKey.OP_READ;
    }

    /** After the handshake: {@code ops}, the connection's own interest, changed by what this layer waits for. */
    public int interest(int ops) {
        if (tasks.running()) {
            return 0;
        }
        if (records.outputWaits()) {
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
        return plainLeft != null || (!tasks.running() && records.hasWholeRecord());
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
        if (closing.inboundDone()) {
            return -1;
        }
        if (tasks.running()) {
            return 0;
        }
        ByteBuffer net = records.read(engine.getSession().getPacketBufferSize());
        int start = dst.position();
        try {
            unwrapInto(net, dst, start);
        } finally {
            records.keep(net);
        }
        int n = dst.position() - start;
        if (records.streamEnded() && !closing.inboundDone() && !hasBufferedRecord()) {
            closing.streamEndedWithoutCloseNotify(engine);
        }
        if (n > 0) {
            return n;
        }
        return closing.inboundDone() ? -1 : 0;
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
                    closing.closeNotifyReceived();
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

    /** Answers what the engine needs after the handshake: false while a delegated task runs off the loop. */
    private boolean postHandshake(HandshakeStatus hs) throws IOException {
        if (hs == HandshakeStatus.NEED_TASK) {
            if (!tasks.run(engine, false)) {
                return false;
            }
            hs = engine.getHandshakeStatus();
        }
        if (hs == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
            ByteBuffer net = records.out(engine.getSession().getPacketBufferSize());
            HandshakeStatus next;
            do {
                SSLEngineResult res = engine.wrap(TlsHandshake.EMPTY, net);
                next = res.getHandshakeStatus();
                if (res.bytesProduced() == 0) {
                    break;
                }
            } while (next == HandshakeStatus.NEED_WRAP && net.remaining() >= engine.getSession().getPacketBufferSize());
            net.flip();
            records.send(net);
            if (next == HandshakeStatus.NEED_TASK) {
                return tasks.run(engine, false);
            }
        }
        return true;
    }

    // ---- writing ----------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(records.one(src), 0, 1);
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
        if (!records.flush() || tasks.running() || awaitingPeer) {
            return 0;
        }
        if (closing.outboundClosed() || engine.isOutboundDone()) {
            throw new SSLException("cannot write to " + peer + ": the TLS session is closed (close_notify was sent or received)");
        }
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer net = records.out(packet);
        long taken = 0;
        boolean needTasks = false;
        while (net.remaining() >= packet && hasRemaining(srcs, offset, length)) {
            SSLEngineResult res = engine.wrap(srcs, offset, length, net);
            taken += res.bytesConsumed();
            if (res.getStatus() == SSLEngineResult.Status.CLOSED) {
                net.flip();
                records.send(net);
                throw new SSLException("cannot write to " + peer + ": the TLS session closed");
            }
            HandshakeStatus hs = res.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                needTasks = true;
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
        records.send(net);
        if (needTasks && tasks.run(engine, false)) {
            // Ran inline: the connection writes the rest on its next pass, as after off-loop tasks.
            owner.interestChanged();
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

    /** Writes ciphertext that waits; true when none is left. */
    public boolean flush() throws IOException {
        return records.flush();
    }

    // ---- closing ----------------------------------------------------------------------------

    /**
     * Sends close_notify (once) after what waits: true when all of it has left, false when the
     * socket must become writable first. True at once before the handshake completed.
     */
    public boolean closeOutbound() throws IOException {
        return !isEstablished() || closing.closeOutbound(engine);
    }

    /**
     * The connection closes now: one try to send what the engine still has to say (close_notify, or
     * the alert of a failed handshake), then every leftover is let go.
     */
    public void closeQuietly() {
        info(); // what it settled stays readable after the engine let go of its session
        closing.closeQuietly(engine);
    }

    /** Ciphertext bytes waiting for the socket (at most one write's worth). */
    public int pendingBytes() {
        return records.pendingBytes();
    }

    /** True while delegated tasks run off the loop. */
    public boolean tasksRunning() {
        return tasks.running();
    }

    // ---- channel ----------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return records.isOpen();
    }

    /** Closes the socket (the connection closes it itself; this is for the channel contract). */
    @Override
    public void close() throws IOException {
        records.close();
    }

    @Override
    public String toString() {
        return "TLS[" + peer + (isEstablished() ? ", " + info().protocol() + "]" : ", handshaking]");
    }
}
