package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on the older EpollEventLoopGroup. */
class EpollEventLoopGroupLoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.EPOLL_EVENT_LOOP_GROUP);
    }
}
