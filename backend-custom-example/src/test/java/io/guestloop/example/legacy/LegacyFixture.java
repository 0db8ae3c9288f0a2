package io.guestloop.example.legacy;

import io.guestloop.GuestContext;
import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.HostLoopThread;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;

/**
 * The conformance kit's view of the {@code legacy} backend. Like the application that owns a
 * {@code LegacyLoop}, the fixture runs the loop on a thread of its own; the guest only borrows it.
 * The README's shim section shows the same fixture for a standalone project.
 *
 * <p><b>Threading:</b> test thread only.
 */
public final class LegacyFixture implements BackendFixture {

    private final LegacyLoop loop = newLoop();
    private final HostLoopThread host = HostLoopThread.start("legacy-loop", loop::run, loop::execute, loop::stop);

    /** Starts a fresh LegacyLoop on a thread of its own. */
    public LegacyFixture() {
    }

    private static LegacyLoop newLoop() {
        try {
            return new LegacyLoop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host loop's thread, already inside {@code run()}. */
    public HostLoopThread host() {
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
        return new LegacyLoopOpsProvider().create(LoopOptions.on(loop));
    }

    @Override
    public GuestContext.Builder contextBuilder(int serviceThreads) {
        return GuestContext.builder().hostLoop(loop);
    }

    @Override
    public boolean borrowsHostLoop() {
        return true;
    }

    @Override
    public CompletionStage<Thread> runHostTask(int index) {
        return host.runTask();
    }

    @Override
    public CompletionStage<Void> shutdownHost() {
        return host.stop();
    }

    @Override
    public void close() {
        host.close();
    }
}
