package io.guestloop.netty;

/** The SPI contract on a MultiThreadIoEventLoopGroup of four NIO loops. */
class IoGroupOf4ContractTest extends NettyLoopThreadContract {
    @Override
    NettyFixture.Host host() {
        return NettyFixture.Host.IO_GROUP_4;
    }
}
