package io.guestloop.netty;

import io.netty.channel.EventLoop;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The wake-up of one service thread, kept on the Netty loop's scheduled-task queue. Requests that
 * pile up before the loop gets to them coalesce into one run; a request made while the callback runs
 * makes another one.
 *
 * <p>The run goes on the scheduled-task queue rather than the task queue. A Netty loop runs every
 * task queued during its task batch in that same batch (for up to a second), but takes scheduled
 * tasks only when a batch starts, after its I/O pass: so a wake-up asked for while the callback runs
 * waits for the loop to poll its sockets and run due timers first, and a sender that never stops
 * cannot starve them.
 *
 * <p><b>Threading:</b> {@link #request()} from any thread, never blocking; the callback runs on the
 * loop thread.
 */
final class LoopWakeup {

    private final EventLoop loop;
    private final Runnable onWakeup;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Runnable run = this::run;
    private final Runnable defer = this::defer;

    /**
     * @param loop     the loop whose scheduler runs the wake-up
     * @param onWakeup run on the loop thread for each wake-up
     */
    LoopWakeup(EventLoop loop, Runnable onWakeup) {
        this.loop = loop;
        this.onWakeup = onWakeup;
    }

    /** Makes the loop run the callback soon, unless a run is already pending. */
    void request() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        try {
            if (loop.inEventLoop()) {
                defer();
            } else {
                loop.execute(defer);
            }
        } catch (RejectedExecutionException e) {
            // The host loop has shut down; the guest hears onHostLoopClosing, not this wake-up.
            pending.set(false);
        }
    }

    /**
     * Schedules on the loop thread only: a task scheduled from another thread travels through the
     * task queue, and one already due when it gets there runs right away, in the task batch.
     */
    private void defer() {
        loop.schedule(run, 0, TimeUnit.NANOSECONDS);
    }

    private void run() {
        // Cleared before the callback so that a request made during it makes another run.
        pending.set(false);
        onWakeup.run();
    }
}
