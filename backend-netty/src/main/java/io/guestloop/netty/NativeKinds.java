package io.guestloop.netty;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;

/**
 * Finds the native kind of a Netty loop that is not NIO, without needing Netty's native transport
 * jars for any other loop: the handle types are looked up by name, and {@link EpollKind} or
 * {@link IoUringKind} (whose code refers to those jars) is touched only once a loop of its kind has
 * been found, which means the application has the jar on its class path already.
 *
 * <p>kqueue loops are not among them: the same route would serve them (a {@code KQueueIoHandle}
 * takes a descriptor), but this backend has not been built or tested on one.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class NativeKinds {

    private static final String EPOLL_HANDLE = "io.netty.channel.epoll.EpollIoHandle";
    private static final String IO_URING_HANDLE = "io.netty.channel.uring.IoUringIoHandle";

    private NativeKinds() {
    }

    /** The kind serving {@code loop}, or null when it is neither an epoll nor an io_uring loop. */
    static LoopKind of(IoEventLoop loop) {
        if (compatible(loop, EPOLL_HANDLE)) {
            return new EpollKind();
        }
        if (compatible(loop, IO_URING_HANDLE)) {
            return new IoUringKind(loop);
        }
        return null;
    }

    private static boolean compatible(IoEventLoop loop, String handleType) {
        try {
            Class<? extends IoHandle> type = Class.forName(handleType, false, NativeKinds.class.getClassLoader())
                    .asSubclass(IoHandle.class);
            return loop.isCompatible(type);
        } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
            return false; // not on the class path: the loop cannot be of that kind
        }
    }
}
