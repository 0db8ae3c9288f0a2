package io.guestloop.bench;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The Netty transports the comparison runs on ({@code nio}, {@code epoll}, {@code io_uring}): the
 * loop handlers, the server channel and the client channel of each.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class NettyTransports {

    private NettyTransports() {
    }

    /** @throws IllegalStateException when a native transport cannot run here, with its cause */
    static IoHandlerFactory ioHandlers(String transport) {
        switch (transport) {
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("Netty's epoll transport cannot run here", Epoll.unavailabilityCause());
                }
                return EpollIoHandler.newFactory();
            case "io_uring":
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("Netty's io_uring transport cannot run here", IoUring.unavailabilityCause());
                }
                return IoUringIoHandler.newFactory();
            case "nio":
                return NioIoHandler.newFactory();
            default:
                throw new IllegalArgumentException("unknown Netty transport " + transport + "; expected nio, epoll or io_uring");
        }
    }

    /** The client socket channel of {@code transport}. */
    static Class<? extends SocketChannel> socketChannel(String transport) {
        switch (transport) {
            case "epoll":
                return EpollSocketChannel.class;
            case "io_uring":
                return IoUringSocketChannel.class;
            default:
                return NioSocketChannel.class;
        }
    }

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
}
