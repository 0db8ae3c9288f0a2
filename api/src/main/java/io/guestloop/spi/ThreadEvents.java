package io.guestloop.spi;

/**
 * The guest core's callbacks for one {@link LoopThread}, given to {@link LoopThread#start}.
 *
 * <p><b>Threading:</b> a backend calls these only on the loop thread, one at a time. They never
 * throw: the core catches what guest code throws.
 */
public interface ThreadEvents {

    /**
     * The timer armed with {@link LoopThread#armTimer(long)} is due. A backend may fire late, or even
     * for a deadline the core has disarmed since: the core checks the clock and re-arms when it is
     * early.
     */
    void onTimer();

    /** {@link LoopThread#wakeup()} was called. Extra or merged calls are harmless: the core counts nothing. */
    void onWakeup();

    /**
     * The host loop is shutting down underneath the guest (a foreign loop closed by its owner). The
     * core closes the guest's resources on this thread and then calls {@link LoopOps#close()}. Extra
     * calls are ignored.
     */
    void onHostLoopClosing();
}
