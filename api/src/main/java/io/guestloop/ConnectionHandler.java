package io.guestloop;

import java.nio.ByteBuffer;

/**
 * What a protocol stack does with a connection's events. Every method has an empty default.
 *
 * <p><b>Threading:</b> every method is called on the service thread of the connection, one at a
 * time. An exception thrown by any of them goes to the context's {@link ErrorHandler} and closes that
 * connection (its {@link #onClosed} then receives the exception); the loop goes on.
 */
public interface ConnectionHandler {

    /** The connection is established (accepted, connected or adopted) and reading. */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived. {@code data} is the service thread's shared read buffer, valid only during this
     * call: copy what you keep. Reading from it (advancing its position) is expected.
     *
     * <p>Writing {@code data} itself back to this connection during the call (an echo, a proxy's
     * payload behind a new header) may send those bytes from where they lie instead of a copy, once
     * the call returns: the bytes so written must not change before then. Other bytes of it may be
     * changed, and a view of it ({@code duplicate}, {@code slice}) is always copied.
     */
    default void onData(Connection connection, ByteBuffer data) {
    }

    /**
     * The socket can take more and the write queue is empty; requested with
     * {@link Connection#requestWritable()}, delivered once per request.
     */
    default void onWritable(Connection connection) {
    }

    /**
     * The write queue crossed the high-water mark ({@code writable == false}: stop producing) or
     * drained to the low-water mark ({@code writable == true}: produce again).
     */
    default void onWritabilityChanged(Connection connection, boolean writable) {
    }

    /**
     * The connection is closed and every resource of it released. Called exactly once per
     * connection, including a connect that failed or timed out before {@link #onOpen}.
     *
     * @param cause {@code null} for an orderly close (by either side), else what ended it
     */
    default void onClosed(Connection connection, Throwable cause) {
    }

    /**
     * The context is shutting down politely ({@link GuestContext#shutdown}): finish what the
     * connection is doing and close it, for example with a goodbye message of the protocol and
     * {@link Connection#closeAfterFlush()}. Connections still open when the grace ends are closed at
     * once. Called once per open or connecting connection. The default closes the connection once
     * its queued writes have left.
     */
    default void onShutdown(Connection connection) {
        connection.closeAfterFlush();
    }

    /**
     * {@link GuestContext#cancelService()} or {@link ServiceThread#cancelService()} was called. Delivered once per handler object bound on the
     * service thread (by its connections, listeners or {@link ServiceThread#bind}), however many
     * connections share it. This is the one cross-thread signal: {@link Protocol#onEventWaitCancelled}
     * is the same call for protocols, and {@link Mailbox} is a bound handler that drains its queue here.
     */
    default void onEventWaitCancelled(ServiceThread thread) {
    }
}
