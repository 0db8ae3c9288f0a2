/**
 * guestloop's guest API ({@code io.guestloop}) and backend SPI ({@code io.guestloop.spi}).
 * Backends are found with {@link java.util.ServiceLoader}.
 */
module io.guestloop {
    requires jdk.jfr;

    exports io.guestloop;
    exports io.guestloop.spi;

    uses io.guestloop.spi.LoopOpsProvider;
}
