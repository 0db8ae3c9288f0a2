package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on a MultiThreadIoEventLoopGroup of two io_uring loops. */
class IoUringGroupLoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.IO_URING_GROUP);
    }
}
