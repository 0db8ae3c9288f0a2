package io.guestloop.internal;

import java.time.Duration;

/**
 * The one conversion of a {@link Duration} to nanoseconds, saturating at {@link Long#MAX_VALUE}
 * ("never") instead of failing for durations of more than 292 years.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class Nanos {

    private Nanos() {
    }

    static long of(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
