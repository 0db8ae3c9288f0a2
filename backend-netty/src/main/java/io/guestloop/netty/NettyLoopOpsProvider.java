package io.guestloop.netty;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;
import io.netty.channel.EventLoopGroup;

/**
 * Provider {@code netty}: runs guests on the application's Netty 4.2 event loops. Passing a Netty
 * {@link EventLoopGroup} or {@code EventLoop} to {@code GuestContext.Builder.hostLoop(...)} selects
 * it through {@link java.util.ServiceLoader}, without naming it.
 *
 * <p>It serves NIO, epoll and io_uring loops. It accepts every Netty group or loop, so that one it
 * cannot serve (a kqueue or local loop, say) is refused by {@link #create} with a message naming the loop's I/O type and what to do,
 * rather than by a generic "no backend accepts this host loop".
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class NettyLoopOpsProvider implements LoopOpsProvider {

    /** The provider name, {@code netty}. */
    public static final String NAME = "netty";

    /** Called by {@link java.util.ServiceLoader}. */
    public NettyLoopOpsProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Above the built-in {@code nio} (0): a Netty host loop should get the Netty backend. */
    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(Object hostLoop) {
        return hostLoop instanceof EventLoopGroup;
    }

    @Override
    public String describe() {
        return "netty: a Netty 4.2 EventLoopGroup or EventLoop on NIO, epoll or io_uring (MultiThreadIoEventLoopGroup with"
                + " NioIoHandler, EpollIoHandler or IoUringIoHandler, or NioEventLoopGroup/EpollEventLoopGroup) as host loop"
                + " (guestloop-backend-netty)";
    }

    /**
     * @throws IllegalArgumentException when the host loop is not a Netty NIO, epoll or io_uring loop (the message names
     *                                  its I/O type), is shutting down, has fewer loops than the
     *                                  service threads asked for, or when the context asks to run on
     *                                  the caller's thread
     */
    @Override
    public LoopOps create(LoopOptions options) {
        if (options.runOnCaller()) {
            throw new IllegalArgumentException("The netty backend runs the guest on the host's Netty loops and cannot run "
                    + "on the calling thread; drop runOnCallingThread() or use the nio backend.");
        }
        return NettyLoopOps.onLoops(HostLoops.resolve(options.hostLoop(), options.serviceThreads()));
    }
}
