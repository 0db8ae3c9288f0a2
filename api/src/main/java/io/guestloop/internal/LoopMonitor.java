package io.guestloop.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The watchdog's window on one loop thread: the loop thread marks where each of its callbacks
 * starts and ends, the {@link Watchdog} thread samples the marks.
 *
 * <p>The mark is one long: the callback's sequence number shifted left, with the low bit set while
 * the callback runs. Starting a callback costs one volatile write (it pairs with the watchdog's
 * volatile write of {@code parked} so that neither can miss the other); ending it one release write.
 *
 * <p>A context with the watchdog turned off gets monitors with no watchdog ({@link #unwatched()}):
 * they only count nesting, so its callbacks pay nothing for a watchdog that does not look.
 *
 * <p><b>Threading:</b> {@link #enter()} and {@link #exit()} on the loop thread only; the
 * {@code check} fields on the watchdog thread only.
 */
final class LoopMonitor {

    private static final VarHandle MARK;

    static {
        try {
            MARK = MethodHandles.lookup().findVarHandle(LoopMonitor.class, "mark", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long thresholdNanos;
    final String backend;
    private final Watchdog watchdog;
    private volatile Thread thread;
    @SuppressWarnings("unused") // accessed through MARK
    private volatile long mark;

    // Loop thread only.
    private int depth;
    private long seq;

    // Watchdog thread only.
    private long lastMark;
    private long lastChangeAt;
    private long reportedMark;

    /** A monitor no watchdog samples, for a context whose watchdog is off. */
    static LoopMonitor unwatched(String backend) {
        return new LoopMonitor(null, Long.MAX_VALUE, backend);
    }

    LoopMonitor(Watchdog watchdog, long thresholdNanos, String backend) {
        this.watchdog = watchdog;
        this.thresholdNanos = thresholdNanos;
        this.backend = backend;
    }

    /** A callback from the backend begins; nested calls count once. */
    void enter() {
        if (depth++ == 0 && watchdog != null) {
            if (thread == null) {
                thread = Thread.currentThread();
            }
            mark = (++seq << 1) | 1; // volatile write: see the class comment
            if (watchdog.isParked()) {
                watchdog.wake();
            }
        }
    }

    /** The callback begun by the matching {@link #enter()} has returned. */
    void exit() {
        if (--depth == 0 && watchdog != null) {
            MARK.setRelease(this, seq << 1);
        }
    }

    /** True while a callback runs on the loop thread (loop thread only). */
    boolean inCallback() {
        return depth > 0;
    }

    /**
     * Samples the mark at {@code now}; reports a callback that has been running for at least the
     * threshold, once.
     *
     * @return true while the loop is active (a callback ran since the last sample or is running)
     */
    boolean check(long now) {
        long m = mark;
        if (m != lastMark) {
            lastMark = m;
            lastChangeAt = now;
            return true;
        }
        if ((m & 1) == 0) {
            return false;
        }
        long blocked = now - lastChangeAt;
        if (blocked >= thresholdNanos && reportedMark != m) {
            reportedMark = m;
            watchdog.report(this, thread, blocked);
        }
        return true;
    }
}
