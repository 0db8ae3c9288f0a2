package io.guestloop;

/**
 * A guest timer made by {@link ServiceThread#schedule}. Any number of guest timers share their
 * thread's single backend timer, which is armed only for the earliest deadline.
 *
 * <p><b>Threading:</b> every method must be called on the owning service thread, else
 * {@link WrongThreadException}.
 */
public interface Timer {

    /**
     * Cancels the timer in O(log n). A cancelled timer never runs, even when its deadline has passed
     * and it was due in the same turn of the loop.
     *
     * @return true when this call cancelled it; false when it had already run or been cancelled
     */
    boolean cancel();

    /** True until the timer has run or been cancelled. */
    boolean isPending();

    /** The deadline, in {@link System#nanoTime()} units. */
    long deadlineNanos();
}
