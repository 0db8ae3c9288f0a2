/**
 * guestloop's Vert.x backend: guests on the event-loop contexts of an application's Vert.x 5
 * instance. Found by {@link java.util.ServiceLoader} as provider {@code vertx}.
 *
 * <p>A Vert.x event loop is a Netty 4.2 loop (NIO, or epoll or io_uring on a native transport), so
 * the service thread is the netty backend's
 * ({@code io.guestloop.netty.NettyLoopThread}); this module adds how a callback enters a context.
 * It needs {@code io.vertx.core.internal} (exported by vertx-core for integrations like this one)
 * to run guest callbacks inside a context's dispatch and to hear when Vert.x closes; see
 * {@link io.guestloop.vertx.VertxLoopOpsProvider}.
 */
module io.guestloop.vertx {
    requires transitive io.guestloop;
    requires io.guestloop.netty;
    requires io.vertx.core;
    requires io.netty.transport;
    requires io.netty.common;

    exports io.guestloop.vertx;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.vertx.VertxLoopOpsProvider;
}
