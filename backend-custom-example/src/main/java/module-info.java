/**
 * The custom-backend example: {@code io.guestloop.example.legacy.loop}, a small legacy event loop
 * that knows nothing of guestloop, and {@code io.guestloop.example.legacy}, the shim that makes it
 * the {@code legacy} backend.
 */
module io.guestloop.example.legacy {
    requires io.guestloop;

    exports io.guestloop.example.legacy;
    exports io.guestloop.example.legacy.loop;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.example.legacy.LegacyLoopOpsProvider;
}
