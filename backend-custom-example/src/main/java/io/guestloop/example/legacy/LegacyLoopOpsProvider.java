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

    /** Above {@code nio}'s 0: a {@link LegacyLoop} host loop is served by this backend. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop instanceof LegacyLoop;
    }

    @Override
    public String describe() {
        return "legacy: a " + LegacyLoop.class.getName() + " (guestloop-backend-custom-example)";
    }

    /** One service thread whatever was asked for: a {@link LegacyLoop} has exactly one thread. */
    @Override
    public LoopOps create(LoopOptions options) {
        if (!(options.hostLoop() instanceof LegacyLoop loop)) {
            throw new IllegalArgumentException("the legacy backend runs on a LegacyLoop passed as the host loop, but got "
                    + options.hostLoop() + "; pass .hostLoop(yourLegacyLoop) or pick another backend");
        }
        if (options.runOnCaller()) {
            throw new IllegalArgumentException("the legacy backend borrows a LegacyLoop that runs on its owner's thread;"
                    + " it cannot run on the caller's: drop runOnCallingThread() and call loop.run() yourself");
        }
        return new LegacyLoopOps(loop);
    }
}
