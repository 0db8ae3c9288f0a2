package io.guestloop.example.legacy;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The conformance kit's view of the {@code legacy} backend. Like the application that owns a
 * {@code LegacyLoop}, the fixture runs the loop on a thread of its own; the guest only borrows it.
 *
 * <p><b>Threading:</b> test thread only.
 */
public final class LegacyFixture implements BackendFixture {

    private final RunningLoop host = RunningLoop.started("legacy-loop");

    /** The host loop, already running. */
    public RunningLoop host() {
        return host;
    }

    @Override
    public String backendName() {
        return "legacy";
    }

    @Override
    public int maxServiceThreads() {
        return 1;
    }

    @Override
    public LoopOps createLoopOps(int serviceThreads) {
        return new LegacyLoopOpsProvider().create(LoopOptions.on(host.loop()));
    }

    @Override
    public GuestContext.Builder contextBuilder(int serviceThreads) {
        return GuestContext.builder().hostLoop(host.loop());
    }

    @Override
    public boolean borrowsHostLoop() {
        return true;
    }

    /** Runs a task of the host's own through the loop's own {@code execute}. */
    @Override
    public CompletionStage<Thread> runHostTask(int index) {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        host.loop().execute(() -> ranOn.complete(Thread.currentThread()));
        return ranOn;
    }

    /** {@code LegacyLoop.stop()}; completes when its {@code run()} has returned. */
    @Override
    public CompletionStage<Void> shutdownHost() {
        return host.stop();
    }

    @Override
    public void close() {
        host.close();
    }
}
