package io.guestloop.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * The Netty transports a host may run on, for tests that run the same scenario on each: the loop
 * group to make and the server channel class a native Netty server of the host uses on it.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
enum Transport {
    NIO, EPOLL, IO_URING;

    /** A group of {@code loops} loops of this transport; fails (CI) or skips when it cannot run here. */
    EventLoopGroup newGroup(int loops) {
        switch (this) {
            case EPOLL:
                NativeTransports.requireEpoll();
                return new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
            case IO_URING:
                NativeTransports.requireIoUring();
                return new MultiThreadIoEventLoopGroup(loops, IoUringIoHandler.newFactory());
            default:
                return new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
        }
    }

    /** The server channel a Netty application uses on this transport. */
    Class<? extends ServerChannel> serverChannel() {
        switch (this) {
            case EPOLL:
                return EpollServerSocketChannel.class;
            case IO_URING:
                return IoUringServerSocketChannel.class;
            default:
                return NioServerSocketChannel.class;
        }
    }
}
