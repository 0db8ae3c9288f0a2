package io.guestloop.internal;

import io.guestloop.spi.LoopThread;

/**
 * The guest timers of one service thread, multiplexed onto its backend's single timer: any number
 * of guest timers in a {@link TimerHeap}, the backend timer armed only for the earliest deadline and
 * disarmed when none is left.
 *
 * <p><b>Threading:</b> not thread-safe; used on its service thread only.
 */
final class GuestTimers {

    private final CoreServiceThread thread;
    private final LoopThread loop;
    private final TimerHeap heap = new TimerHeap();
    private long nextSeq;
    private boolean armed;
    private long armedDeadline;

    GuestTimers(CoreServiceThread thread, LoopThread loop) {
        this.thread = thread;
        this.loop = loop;
    }

    /** A timer running {@code task} once, {@code delayNanos} from now (saturating at "never"). */
    GuestTimer schedule(long delayNanos, Runnable task) {
        long now = System.nanoTime();
        long deadline = now + delayNanos;
        if (deadline - now < 0) {
            deadline = now + Long.MAX_VALUE; // overflowed: "never" rather than "in the past"
        }
        GuestTimer timer = new GuestTimer(thread, deadline, nextSeq++, task);
        heap.add(timer);
        if (heap.peek() == timer) {
            arm(deadline);
        }
        return timer;
    }

    /** Removes {@code timer}; false when it already ran or was cancelled. */
    boolean cancel(GuestTimer timer) {
        boolean wasFirst = heap.peek() == timer;
        if (!heap.remove(timer)) {
            return false;
        }
        if (wasFirst) {
            rearm();
        }
        return true;
    }

    /**
     * The backend timer fired: runs every timer now due, in deadline order. Timers these tasks
     * schedule wait for the next firing, so a task that reschedules itself at once cannot hold the
     * loop.
     */
    void fire() {
        armed = false;
        long now = System.nanoTime();
        long limit = nextSeq;
        GuestTimer t;
        while ((t = heap.peek()) != null && t.deadline - now <= 0 && t.seq < limit) {
            heap.poll();
            try {
                t.task.run();
            } catch (Throwable e) {
                thread.reportError(null, e);
            }
        }
        rearm();
    }

    /** Drops every timer (none runs) and disarms the backend timer. */
    void clear() {
        heap.clear();
        if (armed) {
            armed = false;
            loop.disarmTimer();
        }
    }

    private void rearm() {
        GuestTimer first = heap.peek();
        if (first == null) {
            if (armed) {
                armed = false;
                loop.disarmTimer();
            }
        } else {
            arm(first.deadline);
        }
    }

    private void arm(long deadline) {
        if (!armed || armedDeadline != deadline) {
            armed = true;
            armedDeadline = deadline;
            loop.armTimer(deadline);
        }
    }
}
