package io.guestloop.netty;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The single timer of one service thread, kept on the Netty loop's own scheduler.
 *
 * <p>The guest re-arms its timer constantly (every guest timer added, fired or cancelled moves the
 * earliest deadline), so this class avoids cancelling and rescheduling Netty tasks where it can: a
 * scheduled task that fires no later than the new deadline is kept. When it fires early for the
 * deadline armed since, the guest core sees that and arms again. A disarm cancels the task, so an
 * idle thread has nothing scheduled at all.
 *
 * <p><b>Threading:</b> loop thread only, like the {@code LoopThread} methods that drive it.
 */
final class LoopTimer {

    private final EventLoop loop;
    private final Runnable onDeadline;

    /** The Netty task now scheduled, or null; {@code scheduledFor} is the deadline it was made for. */
    private ScheduledFuture<?> scheduled;
    private long scheduledFor;
    /** Tells a task that was replaced (and may already be queued to run) that it is stale. */
    private long generation;

    /**
     * @param loop       the loop whose scheduler holds the task
     * @param onDeadline run on the loop thread when the scheduled task fires
     */
    LoopTimer(EventLoop loop, Runnable onDeadline) {
        this.loop = loop;
        this.onDeadline = onDeadline;
    }

    /** Arms for {@code deadlineNanos}, replacing any earlier arming. */
    void arm(long deadlineNanos) {
        if (scheduled != null && scheduledFor - deadlineNanos <= 0) {
            return; // fires first and then re-checks against the new deadline
        }
        cancelScheduled();
        schedule(deadlineNanos);
    }

    /** Disarms; no earlier arming fires any more, and no task stays scheduled. */
    void disarm() {
        cancelScheduled();
    }

    /** True when a Netty task is scheduled for this timer (for tests and idle checks). */
    boolean hasScheduledTask() {
        return scheduled != null;
    }

    private void schedule(long deadlineNanos) {
        long thisGeneration = ++generation;
        scheduledFor = deadlineNanos;
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        try {
            scheduled = loop.schedule(() -> fire(thisGeneration), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The host loop is shutting down; its shutdown reaches the guest through onHostLoopClosing.
            scheduled = null;
        }
    }

    private void cancelScheduled() {
        if (scheduled != null) {
            generation++;
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    private void fire(long firedGeneration) {
        if (firedGeneration != generation) {
            return;
        }
        scheduled = null;
        onDeadline.run();
    }
}
