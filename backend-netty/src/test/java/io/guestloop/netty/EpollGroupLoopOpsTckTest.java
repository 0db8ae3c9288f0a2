package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on a MultiThreadIoEventLoopGroup of two epoll loops. */
class EpollGroupLoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.EPOLL_GROUP);
    }
}
