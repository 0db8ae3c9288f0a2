package io.guestloop.example.legacy;

import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;

/**
 * Finds the {@code legacy} backend: a guest context built with {@code .hostLoop(aLegacyLoop)} runs
 * on that loop through {@link LegacyLoopOps}. Listed in
 * {@code META-INF/services/io.guestloop.spi.LoopOpsProvider} and in {@code module-info.java}.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class LegacyLoopOpsProvider implements LoopOpsProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public LegacyLoopOpsProvider() {
    }

    @Override
    public String name() {
        return "legacy";
    }

    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop instanceof LegacyLoop;
    }

    @Override
    public String describe() {
        return "legacy: a " + LegacyLoop.class.getName() + " (guestloop-backend-custom-example)";
    }

    /**
     * One service thread whatever was asked for: a {@link LegacyLoop} has exactly one thread. The
     * host loop was {@linkplain #accepts accepted} before this is called, so the cast holds.
     */
    @Override
    public LoopOps create(LoopOptions options) {
        return new LegacyLoopOps((LegacyLoop) options.hostLoop());
    }
}
