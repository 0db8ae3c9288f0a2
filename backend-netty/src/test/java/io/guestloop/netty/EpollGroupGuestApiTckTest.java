package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest API layer of the conformance kit on a MultiThreadIoEventLoopGroup of two epoll loops. */
class EpollGroupGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.EPOLL_GROUP);
    }
}
