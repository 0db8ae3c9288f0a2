package io.guestloop.bench.jmh;

import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.bench.GuestHost;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * Something another thread can wake, and a count of the wake-ups its loop thread has seen: either
 * a guest context ({@code cancelService()} → {@code Protocol.onEventWaitCancelled}) or a plain Netty
 * event loop ({@code execute(task)} → the task runs).
 *
 * <p><b>Threading:</b> {@link #wake()} and {@link #delivered()} from any thread; {@link #close()}
 * from a non-loop thread.
 */
abstract class Wakers implements AutoCloseable {

    /** Wake-ups delivered on the loop; written by the loop thread only. */
    volatile long delivered;

    abstract void wake();

    long delivered() {
        return delivered;
    }

    @Override
    public abstract void close();

    /**
     * {@code guest-<backend>}, {@code netty-execute} or {@code flag-cas-execute}.
     *
     * @throws IllegalArgumentException for anything else
     */
    static Wakers of(String target) {
        if (target.equals("netty-execute")) {
            return new NettyExecute();
        }
        if (target.equals("flag-cas-execute")) {
            return new FlagCasExecute();
        }
        if (target.startsWith("guest-")) {
            return new Guest(target.substring("guest-".length()));
        }
        throw new IllegalArgumentException("unknown target " + target
                + "; expected guest-<backend>, netty-execute or flag-cas-execute");
    }

    /** cancelService() on a context of one service thread. */
    private static final class Guest extends Wakers {
        private final GuestHost host;
        private final GuestContext context;

        Guest(String backend) {
            host = GuestHost.start(backend, GuestContext.builder().protocol(new Protocol() {
                @Override
                @SuppressWarnings("NonAtomicOperationOnVolatileField")
                public void onEventWaitCancelled(ServiceThread thread) {
                    delivered++;   // one writer: the loop thread
                }
            }));
            context = host.context();
        }

        @Override
        void wake() {
            context.cancelService();
        }

        @Override
        public void close() {
            host.close();
        }
    }

    /** execute() of one shared task on a one-thread Netty NIO loop: the baseline. */
    private static final class NettyExecute extends Wakers {
        private final MultiThreadIoEventLoopGroup group =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jmh-netty"), NioIoHandler.newFactory());
        private final EventLoop loop = group.next();
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        private final Runnable task = () -> delivered++;

        @Override
        void wake() {
            loop.execute(task);
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * The bare coalescing pattern on the same kind of loop: check a flag, compare-and-set it, execute
     * one task that clears it before it counts. What a coalesced {@code cancelService()} is measured
     * against: a call that finds the flag set costs one volatile read.
     */
    private static final class FlagCasExecute extends Wakers {
        private final MultiThreadIoEventLoopGroup group =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jmh-flag"), NioIoHandler.newFactory());
        private final EventLoop loop = group.next();
        private final java.util.concurrent.atomic.AtomicBoolean pending = new java.util.concurrent.atomic.AtomicBoolean();
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        private final Runnable task = () -> {
            pending.set(false);
            delivered++;
        };

        @Override
        void wake() {
            if (!pending.get() && pending.compareAndSet(false, true)) {
                loop.execute(task);
            }
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
