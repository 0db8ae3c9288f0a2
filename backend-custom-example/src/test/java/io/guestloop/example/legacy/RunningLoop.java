package io.guestloop.example.legacy;

import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.tck.Timeouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link LegacyLoop} running on a thread of the test's own, the way its owner application would
 * run it. {@link #close()} stops it and waits for its thread to end.
 *
 * <p><b>Threading:</b> used from the test thread; {@link #call} hands work to the loop thread.
 */
public final class RunningLoop implements AutoCloseable {

    private final LegacyLoop loop;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private RunningLoop(LegacyLoop loop, String threadName) {
        this.loop = loop;
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } finally {
                terminated.complete(null);
            }
        }, threadName);
    }

    /** A new loop, not running yet: set it up, then {@link #start()}. */
    public static RunningLoop create(String threadName) {
        try {
            return new RunningLoop(new LegacyLoop(), threadName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new loop, already inside {@code run()}: it knows its thread and refuses others. */
    public static RunningLoop started(String threadName) {
        RunningLoop running = create(threadName);
        running.start();
        running.call(() -> null);
        return running;
    }

    public LegacyLoop loop() {
        return loop;
    }

    public Thread thread() {
        return thread;
    }

    public void start() {
        thread.start();
    }

    /** Runs {@code task} on the loop thread and waits for its result. */
    public <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return Timeouts.await(result, "a task on the legacy loop");
    }

    /** Stops the loop; completes when {@code run()} has returned. */
    public CompletionStage<Void> stop() {
        loop.stop();
        return terminated;
    }

    @Override
    public void close() {
        if (thread.getState() != Thread.State.NEW) {
            Timeouts.await(stop(), "the legacy loop to stop");
        }
    }
}
