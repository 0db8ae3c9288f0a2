/**
 * guestloop's guest API ({@code io.guestloop}) and backend SPI ({@code io.guestloop.spi}).
 * Backends are found with {@link java.util.ServiceLoader}.
 */
module io.guestloop {
    requires jdk.jfr;

    // The conformance kit checks a backend as the core runs it: wrapped in the core's guard.
    exports io.guestloop.internal to io.guestloop.tck;

    exports io.guestloop;
    exports io.guestloop.spi;

    uses io.guestloop.spi.LoopOpsProvider;
}
