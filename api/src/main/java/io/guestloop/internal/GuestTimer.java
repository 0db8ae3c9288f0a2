package io.guestloop.internal;

import io.guestloop.Timer;

/**
 * One guest timer: an entry of its thread's {@link TimerHeap}.
 *
 * <p><b>Threading:</b> loop thread of its {@link CoreServiceThread} only.
 */
final class GuestTimer implements Timer {

    final CoreServiceThread thread;
    final long deadline;
    final long seq;
    final Runnable task;
    /** Position in the heap, or -1 once it ran or was cancelled. */
    int index = -1;

    GuestTimer(CoreServiceThread thread, long deadline, long seq, Runnable task) {
        this.thread = thread;
        this.deadline = deadline;
        this.seq = seq;
        this.task = task;
    }

    @Override
    public boolean cancel() {
        thread.checkInLoop("Timer.cancel");
        return thread.cancelTimer(this);
    }

    @Override
    public boolean isPending() {
        thread.checkInLoop("Timer.isPending");
        return index >= 0;
    }

    @Override
    public long deadlineNanos() {
        return deadline;
    }

    /** Deadline order, then scheduling order, so timers with equal deadlines run first-in first-out. */
    boolean before(GuestTimer other) {
        long d = deadline - other.deadline;
        return d < 0 || (d == 0 && seq < other.seq);
    }

    @Override
    public String toString() {
        return "Timer[deadline=" + deadline + (index >= 0 ? ", pending]" : ", done]");
    }
}
