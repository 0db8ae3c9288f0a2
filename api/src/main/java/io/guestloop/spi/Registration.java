package io.guestloop.spi;

/**
 * One channel watched by one {@link LoopThread} (libwebsockets: {@code io} and
 * {@code close_handle_manually}; calloop: {@code reregister} and {@code unregister}).
 *
 * <p><b>Threading:</b> both methods are called only on the owning loop thread, by the guest core.
 *
 * <p>The core keeps the rest of the bargain: it never changes the interest set after
 * {@link #cancel()}, never asks for operations outside the channel's {@code validOps()}, calls
 * {@code cancel()} once, and ignores whatever the loop reports for a registration after it was
 * cancelled.
 */
public interface Registration {

    /**
     * Watches {@code ops} from now on instead of the earlier set (0 watches nothing, but keeps the
     * channel registered). Readiness stays level-triggered: an operation the channel is already ready
     * for is reported on the next turn without further I/O.
     */
    void interestOps(int ops);

    /** Stops watching the channel for good. Does not close the channel. */
    void cancel();
}
