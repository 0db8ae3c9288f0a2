/** guestloop's built-in {@code java.nio} Selector loop: the embedded default backend, named {@code nio}. */
module io.guestloop.nio {
    requires io.guestloop;

    exports io.guestloop.nio;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.nio.NioLoopOpsProvider;
}
