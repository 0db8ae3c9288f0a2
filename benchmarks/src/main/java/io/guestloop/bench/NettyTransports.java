package io.guestloop.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
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
import io.netty.handler.ssl.SslContext;

import java.util.function.Consumer;

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

    /**
     * A generator's client bootstrap on {@code loop}: {@code transport}'s socket channel, Nagle off,
     * and a pipeline of the TLS handler (when {@code tls} is not null; no peer host is given, so no
     * session is cached and every connection does a full handshake) followed by what {@code rest} adds.
     */
    static Bootstrap client(EventLoop loop, String transport, SslContext tls, Consumer<ChannelPipeline> rest) {
        return new Bootstrap().group(loop).channel(socketChannel(transport))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        rest.accept(ch.pipeline());
                    }
                });
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
