package io.guestloop.netty;

/** The SPI contract on the older NioEventLoopGroup. */
class NioEventLoopGroupContractTest extends NettyLoopThreadContract {
    @Override
    NettyFixture.Host host() {
        return NettyFixture.Host.NIO_EVENT_LOOP_GROUP;
    }
}
