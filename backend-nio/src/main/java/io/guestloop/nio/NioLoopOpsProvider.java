package io.guestloop.nio;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;

/**
 * Provides the {@code nio} backend: {@link java.nio.channels.Selector} loops that guestloop owns,
 * used when the application has no loop of its own.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class NioLoopOpsProvider implements LoopOpsProvider {

    /** The provider name, {@value}. */
    public static final String NAME = "nio";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop == null;
    }

    @Override
    public String describe() {
        return "nio: no host loop, guestloop runs its own Selector threads (guestloop-backend-nio)";
    }

    @Override
    public LoopOps create(LoopOptions options) {
        throw new UnsupportedOperationException("nio backend not written yet");
    }
}
