package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on the older NioEventLoopGroup. */
class NioEventLoopGroupLoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.NIO_EVENT_LOOP_GROUP);
    }
}
