package io.guestloop.executor;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The conformance kit's view of the {@code executor} backend on one {@link SerialHost}: one service
 * thread (the host's), borrowed, never owned. The host's owner stops it from the host thread: it
 * completes the host's {@link #stopSignal} (the guest is told right there), then stops the host in
 * its own way. Subclasses make the host and say what that way is.
 *
 * <p><b>Threading:</b> test thread only.
 */
abstract class SerialHostFixture implements BackendFixture {

    /** The stop signal of {@link #host()}. */
    final CompletableFuture<Void> stopSignal = new CompletableFuture<>();
    private volatile boolean refusing;

    /**
     * {@code shared} (a host of the whole JVM, such as the Swing or JavaFX thread, that outlives every
     * test) as this test's host: stopped by {@link #stopSignal}, after which it refuses to take work for
     * the guest, as an application does when it shuts its part down.
     */
    final SerialHost ownPartOf(SerialHost shared) {
        Executor hostThread = shared.executor();
        Executor gate = task -> {
            if (refusing) {
                throw new RejectedExecutionException("this test's part of host " + shared.name() + " has stopped");
            }
            hostThread.execute(task);
        };
        return new SerialHost(shared.name(), gate, shared.onHostThread(), stopSignal);
    }

    /** From now on the host made by {@link #ownPartOf} refuses work. */
    final void refuseWork() {
        refusing = true;
    }

    /** The host the guests of this fixture run on, stopped by {@link #stopSignal}. */
    abstract SerialHost host();

    /** The host's own way to run a task on its thread, as the application does for its own work. */
    abstract Executor ownWork();

    /** Stops the host, on its thread, right after the stop signal completed. */
    abstract void stopOnHostThread();

    /** Completes when the host has stopped. */
    abstract CompletionStage<Void> stopped();

    @Override
    public String backendName() {
        return ExecutorLoopOpsProvider.NAME;
    }

    @Override
    public int maxServiceThreads() {
        return 1;
    }

    @Override
    public LoopOps createLoopOps(int serviceThreads) {
        return new ExecutorLoopOpsProvider().create(LoopOptions.on(host()));
    }

    @Override
    public GuestContext.Builder contextBuilder(int serviceThreads) {
        return GuestContext.builder().hostLoop(host());
    }

    @Override
    public boolean borrowsHostLoop() {
        return true;
    }

    @Override
    public final CompletionStage<Thread> runHostTask(int index) {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        ownWork().execute(() -> ranOn.complete(Thread.currentThread()));
        return ranOn;
    }

    @Override
    public final CompletionStage<Void> shutdownHost() {
        ownWork().execute(() -> {
            stopSignal.complete(null);
            stopOnHostThread();
        });
        return stopped();
    }
}
