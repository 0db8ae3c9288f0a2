package io.guestloop.executor;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;

/**
 * Finds the {@code executor} backend: a guest context built with {@code .hostLoop(aSerialHost)}
 * runs every callback on that host's thread. Listed in
 * {@code META-INF/services/io.guestloop.spi.LoopOpsProvider} and in {@code module-info.java}.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class ExecutorLoopOpsProvider implements LoopOpsProvider {

    /** The provider name, {@value}. */
    public static final String NAME = "executor";

    /** Called by {@link java.util.ServiceLoader}. */
    public ExecutorLoopOpsProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Positive: it serves one specific kind of host loop, a {@link SerialHost}. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop instanceof SerialHost;
    }

    @Override
    public String describe() {
        return NAME + ": a " + SerialHost.class.getName()
                + " (SerialHost.swing(), SerialHost.javaFx(), SerialHost.of(executor, onHostThread)) (guestloop-backend-executor)";
    }

    /**
     * One service thread whatever was asked for: a serial host has exactly one thread. The host loop
     * was {@linkplain #accepts accepted} before this is called, so the cast holds.
     *
     * @throws java.io.UncheckedIOException when the watcher's selector cannot be opened
     */
    @Override
    public LoopOps create(LoopOptions options) {
        return new ExecutorLoopOps((SerialHost) options.hostLoop());
    }
}
