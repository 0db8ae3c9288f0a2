/**
 * guestloop's Netty backend: guests on the application's own Netty 4.2 NIO event loops. Found by
 * {@link java.util.ServiceLoader} as provider {@code netty}.
 *
 * <p>Backends built on Netty loops that another framework owns (guestloop's vertx backend) reuse its
 * service thread: {@link io.guestloop.netty.NettyLoopThread} with a
 * {@link io.guestloop.netty.HostGate} of their own, gathered in a
 * {@link io.guestloop.netty.NettyLoopOps}. Everything else in the package stays internal.
 */
module io.guestloop.netty {
    requires transitive io.guestloop;
    requires io.netty.transport;
    requires io.netty.common;

    exports io.guestloop.netty;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.netty.NettyLoopOpsProvider;
}
