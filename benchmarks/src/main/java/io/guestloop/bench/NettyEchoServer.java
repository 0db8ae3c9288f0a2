package io.guestloop.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A plain Netty 4.2 WebSocket echo, written the way the Netty examples do it: one event loop (NIO,
 * epoll or io_uring, with that transport's server channel) that accepts and serves, for TLS an
 * {@code SslHandler} first, {@code HttpServerCodec}, {@code HttpObjectAggregator},
 * {@code WebSocketServerProtocolHandler("/echo")} (which answers pings and closes), and a handler
 * that writes each data frame back and flushes once per read batch. Text frames are checked as UTF-8
 * on the way in (Netty's {@code Utf8FrameValidator}, on by default, asked for explicitly here).
 *
 * <p><b>Threading:</b> see {@link EchoServer}; the handlers run on the loop.
 */
final class NettyEchoServer implements EchoServer {

    private final EventLoopGroup group;
    private final EchoCount echoed = new EchoCount();
    private final Class<? extends ServerChannel> serverChannel;
    /** Null for plain WebSocket; else every connection starts with an {@code SslHandler} of it. */
    private final SslContext tls;
    private final Deflate deflate;
    private Channel server;

    /**
     * @param transport {@code nio}, {@code epoll} or {@code io_uring}
     * @param tls       the TLS engine, or null for plain WebSocket
     */
    NettyEchoServer(String transport, BenchTls.Engine tls) {
        this(transport, tls, Deflate.OFF);
    }

    /** With permessage-deflate as {@code deflate} says (Netty's {@code WebSocketServerExtensionHandler}). */
    NettyEchoServer(String transport, Deflate deflate) {
        this(transport, null, deflate);
    }

    private NettyEchoServer(String transport, BenchTls.Engine tls, Deflate deflate) {
        this.tls = tls == null ? null : BenchTls.nettyServer(tls);
        this.deflate = deflate;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("native-netty-" + transport),
                NettyTransports.ioHandlers(transport));
        this.serverChannel = NettyTransports.serverChannel(transport);
    }

    @Override
    public int start() {
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/echo").maxFramePayloadLength(1 << 20).withUTF8Validator(true).allowExtensions(deflate != Deflate.OFF).build();
        ChannelHandler echo = new Echo(echoed);
        server = new ServerBootstrap()
                .group(group)
                .channel(serverChannel)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192));
                        if (deflate != Deflate.OFF) {
                            ch.pipeline().addLast(new WebSocketServerExtensionHandler(deflate.nettyServer()));
                        }
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler(ws), echo);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public Thread loopThread() {
        try {
            return group.next().submit(Thread::currentThread).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the Netty loop did not answer within 30 s", e);
        }
    }

    @Override
    public boolean websocket() {
        return true;
    }

    @Override
    public long echoed() {
        return echoed.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes text and binary frames back; flushes when the read batch ends. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final EchoCount echoed;

        Echo(EchoCount echoed) {
            this.echoed = echoed;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame) {
                ctx.write(msg, ctx.voidPromise());
                echoed.add(1);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** A generator that ends its run resets its connections; that is no news. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
