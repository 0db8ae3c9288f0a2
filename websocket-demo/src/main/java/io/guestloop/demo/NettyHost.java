package io.guestloop.demo;

import io.guestloop.GuestContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty application: it owns a {@link MultiThreadIoEventLoopGroup} of NIO, epoll or io_uring
 * loops ({@code --transport}), serves
 * {@code GET /native} with a Netty HTTP pipeline of its own, and lends the same group to the guest,
 * so the native handler and the guest's WebSocket server run on the same loop threads.
 *
 * <p><b>Threading:</b> see {@link DemoHost}; the native handler runs on its channel's loop thread.
 */
final class NettyHost implements DemoHost {

    private final EventLoopGroup group;
    private final String transport;
    private final AtomicLong answered = new AtomicLong();
    private volatile Channel nativeServer;

    /**
     * @param threads   loops of the group
     * @param transport {@code nio}, {@code epoll} or {@code io_uring}
     * @throws IllegalArgumentException when a native transport cannot run here
     */
    NettyHost(int threads, String transport) {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("demo-netty-" + transport),
                Transports.ioHandlers(transport));
    }

    @Override
    public String backend() {
        return "netty";
    }

    @Override
    public OptionalInt startNative(String bindHost, int port) throws IOException {
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(Transports.serverChannel(transport))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4096), new NativeEndpoint());
                        }
                    })
                    .bind(new InetSocketAddress(bindHost, port)).sync().channel();
            nativeServer = server;
            return OptionalInt.of(((InetSocketAddress) server.localAddress()).getPort());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the native endpoint", e);
        } catch (Exception e) {
            // bind().sync() rethrows the bind failure (a java.net.BindException) unchecked-ly.
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    @Override
    public GuestContext buildGuest(GuestContext.Builder guest) {
        return guest.backend("netty").hostLoop(group).build();
    }

    @Override
    public CompletionStage<Void> stop() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Channel server = nativeServer;
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> stopped.complete(null));
        return stopped;
    }

    /** {@code GET /native}, answered by Netty itself; 404 elsewhere, 405 for other methods. */
    private final class NativeEndpoint extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            HttpResponseStatus status;
            String body;
            if (!request.uri().equals("/native") && !request.uri().startsWith("/native?")) {
                status = HttpResponseStatus.NOT_FOUND;
                body = "only GET /native here\n";
            } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
                status = HttpResponseStatus.METHOD_NOT_ALLOWED;
                body = "only GET /native here\n";
            } else {
                status = HttpResponseStatus.OK;
                body = "Hello from Netty's own HTTP handler (a ChannelHandler in a Netty pipeline), request "
                        + answered.incrementAndGet() + ".\nIt ran on loop thread " + Thread.currentThread().getName()
                        + ", a thread of the same " + transport + " EventLoopGroup that runs the guest's WebSocket server.\n";
            }
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    // The demo page lives on the other port: without this its fetch() is refused.
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
