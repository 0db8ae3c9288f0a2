package io.guestloop.vertx;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopThread;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Vert.x backend for one guest context: one {@link LoopThread} per Vert.x event-loop context.
 * Made by {@link VertxLoopOpsProvider}.
 *
 * <p>It never owns Vert.x: {@link #close()} releases every registration, timer and close hook the
 * guest left and leaves Vert.x, its contexts and their verticles running. The contexts it made for a
 * {@code Vertx} host need no closing of their own (they share Vert.x's close future).
 *
 * <p><b>Threading:</b> {@link #threads()} and {@link #close()} may be called from any thread and
 * never block.
 */
public final class VertxLoopOps implements LoopOps {

    private final List<VertxLoopThread> threads;
    private CompletableFuture<Void> closeStage;

    VertxLoopOps(List<ContextInternal> contexts) {
        List<VertxLoopThread> made = new ArrayList<>(contexts.size());
        for (ContextInternal context : contexts) {
            made.add(new VertxLoopThread(context, made.size()));
        }
        this.threads = List.copyOf(made);
    }

    @Override
    public List<? extends LoopThread> threads() {
        return threads;
    }

    /** The same threads with their Vert.x side visible (this package and its tests). */
    List<VertxLoopThread> vertxThreads() {
        return threads;
    }

    /**
     * Cancels what the guest left on every context's loop (on that loop) and completes when done.
     * Never closes a context or Vert.x. Idempotent.
     */
    @Override
    public synchronized CompletionStage<Void> close() {
        if (closeStage == null) {
            closeStage = CompletableFuture.allOf(threads.stream()
                    .map(t -> t.close().toCompletableFuture())
                    .toArray(CompletableFuture[]::new));
        }
        return closeStage;
    }

    @Override
    public String toString() {
        return "VertxLoopOps" + threads;
    }
}
