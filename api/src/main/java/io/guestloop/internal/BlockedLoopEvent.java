package io.guestloop.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event: a guest callback held its loop thread longer than the watchdog threshold. */
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
}
