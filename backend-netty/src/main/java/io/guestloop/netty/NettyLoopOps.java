package io.guestloop.netty;

import io.guestloop.spi.LoopOps;
import io.netty.channel.IoEventLoop;

import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Netty backend for one guest context: one {@link NettyLoopThread} per borrowed Netty loop, in
 * the order the host's group iterates them. Made by {@link NettyLoopOpsProvider}, and by backends
 * built on Netty loops that another framework owns (the vertx backend), from threads made with a
 * {@link HostGate} of their own.
 *
 * <p>It never owns a loop: {@link #close()} releases every registration, timer and host hook the
 * guest left on the loops and leaves them running for the host.
 *
 * <p><b>Threading:</b> {@link #threads()} and {@link #close()} may be called from any thread and
 * never block.
 */
public final class NettyLoopOps implements LoopOps {

    private final List<NettyLoopThread> threads;
    private final SelectorProvider channels;
    private CompletableFuture<Void> closeStage;

    /**
     * @param threads the service threads, not yet started; service thread {@code i} at index {@code i}
     * @throws IllegalArgumentException when there is none, or when they mix loops that watch
     *                                  {@code java.nio} channels with loops that watch file
     *                                  descriptors (the core opens one kind of channel per context)
     */
    public NettyLoopOps(List<NettyLoopThread> threads) {
        if (threads.isEmpty()) {
            throw new IllegalArgumentException("a guest context needs at least one service thread, got none");
        }
        this.threads = List.copyOf(threads);
        this.channels = threads.get(0).kind().channels();
        for (NettyLoopThread t : threads) {
            if (t.kind().channels() != channels) {
                throw new IllegalArgumentException("one guest context cannot mix " + threads.get(0).kind().phrase() + " and "
                        + t.kind().phrase() + ": their sockets are not of one kind. Give the context loops of one kind.");
            }
        }
    }

    /** The netty backend's own: one thread per loop, whose callbacks run directly on the loop. */
    static NettyLoopOps onLoops(List<IoEventLoop> loops) {
        List<NettyLoopThread> made = new ArrayList<>(loops.size());
        for (IoEventLoop loop : loops) {
            String name = "netty loop " + made.size() + " (" + loop.getClass().getSimpleName() + ", not started)";
            made.add(new NettyLoopThread(loop, name, new DirectGate()));
        }
        return new NettyLoopOps(made);
    }

    @Override
    public List<NettyLoopThread> threads() {
        return threads;
    }

    /** The JDK's on NIO loops; on epoll and io_uring loops, channels over Netty's native sockets. */
    @Override
    public SelectorProvider channelProvider() {
        return channels;
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
