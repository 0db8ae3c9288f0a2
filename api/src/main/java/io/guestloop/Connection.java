package io.guestloop;

import io.guestloop.tls.TlsInfo;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One socket (or any adopted channel) served by a guest context.
 *
 * <p><b>Threading:</b> every method must be called on {@link #serviceThread()}, else
 * {@link WrongThreadException}; from another thread go through {@link GuestContext#cancelService()}.
 *
 * <p><b>Memory:</b> the connection holds no read buffer of its own (reads use the service thread's
 * shared buffer) and a write queue only while the socket does not take everything at once.
 *
 * <p><b>TLS:</b> on a TLS connection ({@link #tls()} is present) everything here is about the
 * plaintext: {@link #write} takes plaintext, {@link #queuedBytes()}, the water marks and
 * {@link #isWritable()} count plaintext not yet encrypted, and the TLS layer holds at most one
 * write's worth of encrypted bytes the socket has not taken beyond that (it takes no more plaintext
 * until they have left). {@link #close()} sends close_notify as far as the socket takes it at once;
 * {@link #closeAfterFlush()} sends it after the queue, and closes once it has left. A close_notify
 * from the peer, or the end of its stream, reads as the end of the stream: the connection finishes
 * its queued writes, answers with close_notify and closes.
 */
public interface Connection {

    /** The service thread that owns this connection. */
    ServiceThread serviceThread();

    /**
     * Writes as much of {@code data} as the socket takes now and queues the rest (copied; the buffer
     * is the caller's again on return; for the one exception, the buffer {@link ConnectionHandler#onData}
     * is handed, see there).
     *
     * <p>The queue is bounded: while it holds at least the high-water mark, {@code write} refuses
     * the data, leaves {@code data} untouched and returns false, so nothing is lost and memory stays
     * bounded by the high-water mark plus one buffer. Crossing the mark is reported once through
     * {@link ConnectionHandler#onWritabilityChanged}; a refused writer waits for it to report
     * {@code true}.
     *
     * @return true when all of {@code data} was written or queued; false when it was refused because
     *         the queue is full or the connection is closed or closing
     */
    boolean write(ByteBuffer data);

    /**
     * Writes the buffers in order as one unit, as {@link #write(ByteBuffer)} writes one: the socket
     * gets them in a single gathering write where it can (a header and the payload it frames, with no
     * copy into one buffer first), and the rest queues. All of them are taken, or, when the queue is
     * full or the connection is closed or closing, none: every buffer is left untouched and the
     * method returns false, so a frame is never cut in half by backpressure. On a datagram channel
     * they form one datagram.
     *
     * @return true when all of every buffer was written or queued; false when they were refused
     * @throws NullPointerException when {@code data} or one of its elements is null; nothing is then taken
     */
    boolean write(ByteBuffer... data);

    /** True when {@link #write} would accept data: open and below the high-water mark. */
    boolean isWritable();

    /** Bytes queued and not yet taken by the socket. */
    long queuedBytes();

    /**
     * Asks for one {@link ConnectionHandler#onWritable} call as soon as the write queue is empty and
     * the socket can take more (libwebsockets: {@code lws_callback_on_writable}). Several requests
     * before the callback make one callback.
     */
    void requestWritable();

    /** Stops reading until {@link #resumeReading()}; data stays in the kernel (TCP backpressure). */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. */
    void resumeReading();

    /** True while reading is paused. */
    boolean isReadingPaused();

    /**
     * Closes now: queued data is dropped, the channel closed, and {@link ConnectionHandler#onClosed}
     * called before this returns. Idempotent.
     */
    void close();

    /**
     * Stops reading, writes what is queued, then closes. {@link ConnectionHandler#onClosed} follows
     * once the queue is flushed (or at once when it is empty). Idempotent.
     */
    void closeAfterFlush();

    /** False once closing began ({@link #close()}, {@link #closeAfterFlush()}, peer close, error). */
    boolean isOpen();

    /** The local address, or {@code null} for a channel that has none. */
    SocketAddress localAddress();

    /** The peer's address, or {@code null} for a channel that has none. */
    SocketAddress remoteAddress();

    /**
     * What the TLS handshake of this connection settled (protocol, cipher suite, ALPN protocol, SNI
     * name, certificates), present from {@link ConnectionHandler#onOpen} on; empty for a connection
     * without TLS.
     */
    default Optional<TlsInfo> tls() {
        return Optional.empty();
    }

    /** Stores one object of the stack's with this connection (the stack's per-connection state). */
    void attach(Object attachment);

    /** The object last given to {@link #attach}, or {@code null}. */
    <T> T attachment();
}
