/**
 * guestloop's Netty backend: guests on the application's own Netty 4.2 event loops (NIO, epoll,
 * io_uring). Found by {@link java.util.ServiceLoader} as provider {@code netty}; applications need
 * none of its types.
 *
 * <p>Netty's native transports are optional ({@code requires static}): only an epoll or io_uring
 * host loop touches them, and an application that made such a loop has them already.
 *
 * <p>Backends built on Netty loops that another framework owns (guestloop's vertx backend) reuse its
 * service thread: {@link io.guestloop.netty.NettyLoopThread} with a
 * {@link io.guestloop.netty.HostGate} of their own, gathered in a
 * {@link io.guestloop.netty.NettyLoopOps}; the package is exported to them alone.
 */
module io.guestloop.netty {
    requires transitive io.guestloop;
    requires io.netty.transport;
    requires io.netty.common;
    requires static io.netty.transport.unix.common;
    requires static io.netty.transport.classes.epoll;
    requires static io.netty.transport.classes.io_uring;

    exports io.guestloop.netty to io.guestloop.vertx;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.netty.NettyLoopOpsProvider;
}
