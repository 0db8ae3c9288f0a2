/**
 * guestloop's guest API ({@code io.guestloop}) and backend SPI ({@code io.guestloop.spi}).
 * Backends are found with {@link java.util.ServiceLoader}.
 *
 * <p>JFR is optional: the watchdog's {@code io.guestloop.BlockedLoop} event is recorded when the
 * {@code jdk.jfr} module is in the runtime (a full JDK resolves it on the module path too, bound in
 * through {@code jdk.management.jfr}; {@code --add-modules jdk.jfr} makes sure); without it, as in
 * a jlink image that leaves JFR out, the watchdog logs alone.
 */
module io.guestloop {
    requires static jdk.jfr;

    // The conformance kit checks a backend as the core runs it: wrapped in the core's guard.
    exports io.guestloop.internal to io.guestloop.tck;

    exports io.guestloop;
    exports io.guestloop.spi;
    exports io.guestloop.tls;

    uses io.guestloop.spi.LoopOpsProvider;
}
