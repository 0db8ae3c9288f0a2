package io.guestloop.netty;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.Timeouts;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The Netty backend for the conformance kit: a fresh host group per fixture, borrowed by the guest.
 *
 * <p><b>Threading:</b> test thread only, as {@link BackendFixture} says.
 */
public final class NettyFixture implements BackendFixture {

    /** The host groups the backend must serve. */
    public enum Host {
        /** {@code MultiThreadIoEventLoopGroup(1, NioIoHandler)}: the Netty 4.2 way, one loop. */
        IO_GROUP_1,
        /** {@code MultiThreadIoEventLoopGroup(4, NioIoHandler)}: the Netty 4.2 way, four loops. */
        IO_GROUP_4,
        /** The older {@code NioEventLoopGroup(2)}. */
        NIO_EVENT_LOOP_GROUP,
        /** {@code MultiThreadIoEventLoopGroup(2, EpollIoHandler)}: native epoll loops. */
        EPOLL_GROUP,
        /** The older {@code EpollEventLoopGroup(2)}, still shipped by Netty 4.2. */
        EPOLL_EVENT_LOOP_GROUP,
        /** {@code MultiThreadIoEventLoopGroup(2, IoUringIoHandler)}: native io_uring loops. */
        IO_URING_GROUP
    }

    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();

    /** A fixture on a new host group of the given kind. */
    public NettyFixture(Host host) {
        this.group = newGroup(host);
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
    }

    @SuppressWarnings("deprecation")
    private static EventLoopGroup newGroup(Host host) {
        switch (host) {
            case IO_GROUP_1:
                return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            case IO_GROUP_4:
                return new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
            case NIO_EVENT_LOOP_GROUP:
                return new NioEventLoopGroup(2);
            case EPOLL_GROUP:
                NativeTransports.requireEpoll();
                return new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
            case EPOLL_EVENT_LOOP_GROUP:
                NativeTransports.requireEpoll();
                return new EpollEventLoopGroup(2);
            case IO_URING_GROUP:
                NativeTransports.requireIoUring();
                return new MultiThreadIoEventLoopGroup(2, IoUringIoHandler.newFactory());
            default:
                throw new AssertionError(host);
        }
    }

    /** The host group. */
    public EventLoopGroup group() {
        return group;
    }

    /** The host's {@code index}-th loop, in iteration order. */
    public EventLoop loop(int index) {
        return loops.get(index);
    }

    @Override
    public String backendName() {
        return NettyLoopOpsProvider.NAME;
    }

    @Override
    public int maxServiceThreads() {
        return loops.size();
    }

    @Override
    public LoopOps createLoopOps(int serviceThreads) {
        return new NettyLoopOpsProvider().create(new LoopOptions(group, serviceThreads, false));
    }

    @Override
    public GuestContext.Builder contextBuilder(int serviceThreads) {
        return GuestContext.builder().hostLoop(group).serviceThreads(serviceThreads);
    }

    @Override
    public boolean borrowsHostLoop() {
        return true;
    }

    @Override
    public CompletionStage<Thread> runHostTask(int index) {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        loops.get(index).execute(() -> ran.complete(Thread.currentThread()));
        return ran;
    }

    @Override
    public CompletionStage<Void> shutdownHost() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        group.terminationFuture().addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        Timeouts.await(toStage(group), "the host group to terminate");
    }

    private static CompletionStage<Void> toStage(EventLoopGroup group) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.terminationFuture().addListener(f -> done.complete(null));
        return done;
    }

    @Override
    public String toString() {
        return "NettyFixture[" + group.getClass().getSimpleName() + ", " + loops.size() + " loop(s)]";
    }
}
