package io.guestloop.netty;

/** The SPI contract on a MultiThreadIoEventLoopGroup of one NIO loop. */
class IoGroupOf1ContractTest extends NettyLoopThreadContract {
    @Override
    NettyFixture.Host host() {
        return NettyFixture.Host.IO_GROUP_1;
    }
}
