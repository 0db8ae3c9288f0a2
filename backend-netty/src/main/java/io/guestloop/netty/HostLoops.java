package io.guestloop.netty;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandler;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the object an application passed as its host loop into the Netty loops a guest may borrow,
 * or explains why it cannot.
 *
 * <p>A loop is servable when it is an {@link IoEventLoop} whose {@code IoHandler} can watch a socket
 * of the guest: a NIO loop (its {@code NioIoHandler} takes a foreign {@code SelectableChannel}), an
 * epoll loop (its {@code EpollIoHandler} takes a file descriptor) or an io_uring loop (its
 * {@code IoUringIoHandler} takes poll requests), whether made as a
 * {@code MultiThreadIoEventLoopGroup} with that handler's factory or as the older
 * {@code NioEventLoopGroup} / {@code EpollEventLoopGroup}. See {@link LoopKind}.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class HostLoops {

    /** Handler classes Netty ships, checked by name so that none has to be on the class path. */
    private static final String[][] KNOWN_IO_TYPES = {
            {"io.netty.channel.epoll.EpollIoHandler", "an epoll loop"},
            {"io.netty.channel.kqueue.KQueueIoHandler", "a kqueue loop"},
            {"io.netty.channel.uring.IoUringIoHandler", "an io_uring loop"},
            {"io.netty.channel.local.LocalIoHandler", "a local (in-VM) loop"},
    };

    static final String WHAT_TO_DO = "Create the group the guest shares as new MultiThreadIoEventLoopGroup(n, "
            + "NioIoHandler.newFactory()) (or EpollIoHandler / IoUringIoHandler, with Netty's native transport jars), "
            + "or build the context without hostLoop(...) to run it on guestloop's own nio threads.";

    private HostLoops() {
    }

    /**
     * The loops to serve, in the group's iteration order.
     *
     * @param hostLoop       a Netty {@link EventLoopGroup} or {@link EventLoop}
     * @param serviceThreads 0 for every loop of the group, else how many of its first loops
     * @throws IllegalArgumentException when the object is not a Netty loop, when a loop is neither
     *                                  NIO, epoll nor io_uring, is shutting down, or when the group
     *                                  has too few loops
     */
    static List<IoEventLoop> resolve(Object hostLoop, int serviceThreads) {
        if (!(hostLoop instanceof EventLoopGroup)) {
            throw new IllegalArgumentException("The netty backend needs a Netty EventLoopGroup or EventLoop as host loop, found "
                    + (hostLoop == null ? "none" : "an object of type " + hostLoop.getClass().getName())
                    + ". Pass the application's EventLoopGroup to GuestContext.Builder.hostLoop(...).");
        }
        EventLoopGroup group = (EventLoopGroup) hostLoop;
        if (group.isShuttingDown()) {
            throw new IllegalArgumentException("The Netty host loop " + group
                    + " is shutting down or terminated; a guest can only borrow a running loop.");
        }
        List<IoEventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            if (serviceThreads > 0 && loops.size() == serviceThreads) {
                break;
            }
            loops.add(servable(executor));
        }
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("The Netty host loop " + group + " has no event loop to borrow.");
        }
        if (serviceThreads > loops.size()) {
            throw new IllegalArgumentException("The guest asked for " + serviceThreads + " service threads but the Netty group "
                    + group.getClass().getName() + " has only " + loops.size() + " event loop(s). Ask for at most "
                    + loops.size() + " (or 0 for one per loop), or give the group more threads.");
        }
        return loops;
    }

    private static IoEventLoop servable(EventExecutor executor) {
        if (!(executor instanceof IoEventLoop)) {
            throw new IllegalArgumentException("The netty backend serves Netty 4.2 I/O loops (IoEventLoop with a NIO, epoll "
                    + "or io_uring IoHandler), but the host group holds a " + executor.getClass().getName()
                    + ", which cannot watch sockets. " + WHAT_TO_DO);
        }
        IoEventLoop loop = (IoEventLoop) executor;
        LoopKind.of(loop); // refuses, naming the loop's I/O type, a loop no kind of watch serves
        return loop;
    }

    /** A phrase naming the loop's I/O type, e.g. {@code "an epoll loop"}. */
    static String ioTypeOf(IoEventLoop loop) {
        for (String[] known : KNOWN_IO_TYPES) {
            Class<? extends IoHandler> type = handlerClass(known[0], loop.getClass().getClassLoader());
            if (type != null && loop.isIoType(type)) {
                return known[1];
            }
        }
        return "a loop whose IoHandler is not NIO";
    }

    private static Class<? extends IoHandler> handlerClass(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader).asSubclass(IoHandler.class);
        } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
            return null;
        }
    }
}
