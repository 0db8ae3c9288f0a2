package io.guestloop.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * An outgoing connect in flight on one {@link CoreConnection}: its timeout, and its end when
 * OP_CONNECT comes, a connected socket or a {@link ConnectException} that closes the connection.
 *
 * <p><b>Threading:</b> the connection's service thread only.
 */
final class ConnectAttempt {

    private final CoreConnection connection;
    private final GuestTimer timer;

    /** Starts the timeout: after {@code timeoutNanos} the connection fails with a {@link SocketTimeoutException}. */
    ConnectAttempt(CoreConnection connection, SocketAddress address, long timeoutNanos) {
        this.connection = connection;
        this.timer = connection.thread.scheduleInternal(timeoutNanos, () -> connection.ioFailed(new SocketTimeoutException(
                "connect to " + address + " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms")));
    }

    /**
     * OP_CONNECT came for {@code channel}: true once it is connected; false while it is not yet, or
     * when the connect failed (the connection is then closed).
     */
    static boolean finish(SocketChannel channel, CoreConnection connection) {
        try {
            return channel.finishConnect();
        } catch (IOException e) {
            ConnectException ce = new ConnectException(e.getMessage());
            ce.initCause(e);
            connection.ioFailed(ce);
            return false;
        }
    }

    /** The connect ended or the connection closed: the timeout is off. */
    void cancel() {
        connection.thread.cancelTimer(timer);
    }
}
