package io.guestloop.netty;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopThread;
import io.netty.channel.IoEventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Netty backend for one guest context: one {@link io.guestloop.spi.LoopThread} per borrowed
 * Netty loop, in the order the host's group iterates them. Made by {@link NettyLoopOpsProvider}.
 *
 * <p>It never owns a loop: {@link #close()} releases every registration and timer the guest left on
 * the loops and leaves them running for the host.
 *
 * <p><b>Threading:</b> {@link #threads()} and {@link #close()} may be called from any thread and
 * never block.
 */
public final class NettyLoopOps implements LoopOps {

    private final List<NettyLoopThread> threads;
    private CompletableFuture<Void> closeStage;

    NettyLoopOps(List<IoEventLoop> loops) {
        List<NettyLoopThread> made = new ArrayList<>(loops.size());
        for (IoEventLoop loop : loops) {
            made.add(new NettyLoopThread(loop, made.size()));
        }
        this.threads = List.copyOf(made);
    }

    @Override
    public List<? extends LoopThread> threads() {
        return threads;
    }

    /** The same threads, with the Netty side visible (this package and its tests). */
    List<NettyLoopThread> nettyThreads() {
        return threads;
    }

    /**
     * Cancels what the guest left on every loop (on each loop's thread) and completes when done, or
     * at once for a loop that has terminated. Never shuts a loop down. Idempotent.
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
        return "NettyLoopOps" + threads;
    }
}
