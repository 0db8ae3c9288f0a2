package io.guestloop.vertx;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest API layer of the conformance kit on a Vert.x instance on the io_uring transport. */
class IoUringInstanceGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new VertxFixture(VertxFixture.Host.VERTX, VertxFixture.Transport.IO_URING);
    }
}
