/**
 * guestloop's Netty backend: guests on the application's own Netty 4.2 NIO event loops. Found by
 * {@link java.util.ServiceLoader} as provider {@code netty}.
 */
module io.guestloop.netty {
    requires transitive io.guestloop;
    requires io.netty.transport;
    requires io.netty.common;

    exports io.guestloop.netty;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.netty.NettyLoopOpsProvider;
}
