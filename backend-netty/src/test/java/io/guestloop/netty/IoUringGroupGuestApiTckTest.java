package io.guestloop.netty;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest API layer of the conformance kit on a MultiThreadIoEventLoopGroup of two io_uring loops. */
class IoUringGroupGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new NettyFixture(NettyFixture.Host.IO_URING_GROUP);
    }
}
