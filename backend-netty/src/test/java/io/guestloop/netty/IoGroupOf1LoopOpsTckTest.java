package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on a MultiThreadIoEventLoopGroup of one NIO loop. */
class IoGroupOf1LoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.IO_GROUP_1);
    }
}
