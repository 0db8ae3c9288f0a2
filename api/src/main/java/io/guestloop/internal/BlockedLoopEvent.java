package io.guestloop.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR event: a guest callback held its loop thread longer than the watchdog threshold. Touched only
 * through {@link #emit}, and only where {@code jdk.jfr} is readable (see {@link Watchdog}), so that
 * the api runs without the module.
 */
@Name("io.guestloop.BlockedLoop")
@Label("Blocked Loop Thread")
@Category({"guestloop"})
@Description("A guest callback ran longer than the watchdog threshold on a loop thread")
final class BlockedLoopEvent extends jdk.jfr.Event {

    @Label("Loop Thread")
    Thread loopThread;

    @Label("Blocked For")
    @Timespan(Timespan.NANOSECONDS)
    long blockedNanos;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long thresholdNanos;

    @Label("Backend")
    String backend;

    @Label("Loop Stack")
    String stack;

    /** Records one event, if a recording has this event enabled. */
    static void emit(Thread loopThread, long blockedNanos, long thresholdNanos, String backend, String stack) {
        BlockedLoopEvent event = new BlockedLoopEvent();
        if (event.isEnabled()) {
            event.loopThread = loopThread;
            event.blockedNanos = blockedNanos;
            event.thresholdNanos = thresholdNanos;
            event.backend = backend;
            event.stack = stack;
            event.commit();
        }
    }
}
