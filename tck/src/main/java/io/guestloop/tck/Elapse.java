package io.guestloop.tck;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets wall-clock time pass on the test thread. Used only where a test must wait out a deadline to
 * show that something does NOT happen (a disarmed timer, a callback after close) or to measure CPU
 * over a window; never to wait for something to happen (tests wait on latches and futures for that).
 *
 * <p><b>Threading:</b> test threads only, never a loop thread.
 */
final class Elapse {

    /** Margin past a deadline after which a timer that was going to fire has had every chance to. */
    static final Duration GRACE = Duration.ofMillis(300);

    private Elapse() {
    }

    /** Returns once {@link System#nanoTime()} has passed {@code deadlineNanos}. */
    static void until(long deadlineNanos) {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    /** Returns once {@code duration} has passed. */
    static void by(Duration duration) {
        until(System.nanoTime() + duration.toNanos());
    }
}
