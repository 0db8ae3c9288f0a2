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

    /** Called by {@link java.util.ServiceLoader}; the provider holds no state. */
    public NioLoopOpsProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** 0: nio is the fallback that any backend serving a real host loop outranks. */
    @Override
    public int priority() {
        return 0;
    }

    /** Only {@code null}: nio owns its loops and borrows none. */
    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop == null;
    }

    @Override
    public String describe() {
        return "nio: no host loop, guestloop runs its own Selector threads (guestloop-backend-nio)";
    }

    /**
     * Opens the selectors of a new {@link NioLoopOps}; its threads start with each
     * {@link io.guestloop.spi.LoopThread#start}.
     *
     * @throws IllegalArgumentException     when {@code options} names a host loop
     * @throws java.io.UncheckedIOException when a selector cannot be opened
     */
    @Override
    public LoopOps create(LoopOptions options) {
        return new NioLoopOps(options);
    }
}
