package io.guestloop.spi;

import java.nio.channels.SelectableChannel;

/**
 * One channel watched by one {@link LoopThread} (libwebsockets: {@code sock_accept},
 * {@code io}, {@code close_handle_manually}).
 *
 * <p><b>Threading:</b> every method is called only on the owning loop thread.
 */
public interface Registration {

    /** The channel being watched. */
    SelectableChannel channel();

    /** The current interest set. */
    int interestOps();

    /**
     * Replaces the interest set; takes effect for the next readiness check. Setting an operation the
     * channel is already ready for delivers it (level-triggered) without further I/O.
     *
     * @throws IllegalArgumentException when {@code ops} is not a subset of the channel's valid ops
     * @throws IllegalStateException    after {@link #cancel()}
     */
    void interestOps(int ops);

    /**
     * Stops watching the channel; no callback for it is delivered after this returns, not even one
     * the backend already collected. Idempotent. Does not close the channel.
     */
    void cancel();

    /** False once {@link #cancel()} ran or the backend closed. */
    boolean isValid();
}
