package io.guestloop.spi;

/**
 * The guest core's callbacks for one {@link LoopThread}, given to {@link LoopThread#start}.
 *
 * <p><b>Threading:</b> a backend calls these only on the loop thread, one at a time.
 */
public interface ThreadEvents {

    /** The timer armed with {@link LoopThread#armTimer(long)} reached its deadline. */
    void onTimer();

    /** One or more {@link LoopThread#wakeup()} calls happened since the last {@code onWakeup}. */
    void onWakeup();

    /**
     * The host loop is shutting down underneath the guest (a foreign loop closed by its owner). The
     * guest closes itself; the backend delivers nothing else for this thread afterwards except what
     * the core's own cleanup causes. Called at most once.
     */
    void onHostLoopClosing();
}
