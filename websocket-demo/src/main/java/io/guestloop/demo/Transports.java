package io.guestloop.demo;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The Netty transports of the demo's hosts ({@code nio}, {@code epoll}, {@code io_uring}): the
 * default a Netty application would pick, and what each needs. The native classes are touched only
 * for a native transport.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class Transports {

    private Transports() {
    }

    /**
     * What a Netty application picks when it does not say: epoll where Netty's native epoll runs (as
     * Reactor Netty and gRPC-Java do), else NIO. io_uring is never picked unasked.
     */
    static String nettyDefault() {
        try {
            return Epoll.isAvailable() ? "epoll" : "nio";
        } catch (LinkageError e) {
            return "nio"; // the epoll classes are not on the class path
        }
    }

    /**
     * The loop handlers of {@code transport}.
     *
     * @throws IllegalArgumentException when a native transport cannot run here, naming its cause
     */
    static IoHandlerFactory ioHandlers(String transport) {
        switch (transport) {
            case "epoll":
                require("epoll", Epoll.isAvailable(), Epoll.unavailabilityCause());
                return EpollIoHandler.newFactory();
            case "io_uring":
                require("io_uring", IoUring.isAvailable(), IoUring.unavailabilityCause());
                return IoUringIoHandler.newFactory();
            default:
                return NioIoHandler.newFactory();
        }
    }

    /** The server channel a Netty application uses on {@code transport}. */
    static Class<? extends ServerChannel> serverChannel(String transport) {
        switch (transport) {
            case "epoll":
                return EpollServerSocketChannel.class;
            case "io_uring":
                return IoUringServerSocketChannel.class;
            default:
                return NioServerSocketChannel.class;
        }
    }

    private static void require(String transport, boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalArgumentException("Netty's native " + transport + " transport cannot run here (" + cause
                    + "); pick another with --transport");
        }
    }
}
