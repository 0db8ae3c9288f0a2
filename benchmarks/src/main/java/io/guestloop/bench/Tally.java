package io.guestloop.bench;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * What the connections of one {@link LoadGenerator} count together: whether they send, whether the
 * measured window is open, the round-trip times and number of the echoes in it, and every echo of
 * the run.
 *
 * <p><b>Threading:</b> the generator's loop thread only; {@link LoadGenerator#run} reads and resets it
 * through tasks on that thread.
 */
final class Tally {

    final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    /** Whether a flow sends another message for every echo (and a flow that opens starts sending). */
    boolean sending;
    /** Whether the measured window is open. */
    boolean measuring;
    /** Echoes in the measured window. */
    long measured;
    /** Echoes of the whole run, warm-up included. */
    long total;

    /** Counts the echo of a message that took {@code rtt} ns; returns whether it fell in the measured window. */
    boolean echoed(long rtt) {
        total++;
        if (!measuring) {
            return false;
        }
        histogram.recordValue(Math.min(rtt, histogram.getHighestTrackableValue()));
        measured++;
        return true;
    }
}
