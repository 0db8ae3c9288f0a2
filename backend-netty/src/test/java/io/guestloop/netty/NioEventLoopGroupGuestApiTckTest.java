package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest API layer of the conformance kit on the older NioEventLoopGroup. */
class NioEventLoopGroupGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.NIO_EVENT_LOOP_GROUP);
    }
}
