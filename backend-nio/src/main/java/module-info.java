/**
 * guestloop's built-in {@code java.nio} Selector loop: the embedded default backend, named {@code nio}.
 * {@code uses} is there for {@link io.guestloop.nio.ProviderListing}, which lists every backend found.
 */
module io.guestloop.nio {
    requires transitive io.guestloop; // NioLoopOps and the provider expose SPI types

    exports io.guestloop.nio;

    uses io.guestloop.spi.LoopOpsProvider;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.nio.NioLoopOpsProvider;
}
