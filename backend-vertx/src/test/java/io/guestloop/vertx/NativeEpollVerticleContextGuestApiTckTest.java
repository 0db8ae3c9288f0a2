package io.guestloop.vertx;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest API layer of the conformance kit on the context of a verticle in a Vert.x on the native epoll transport. */
class NativeEpollVerticleContextGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new VertxFixture(VertxFixture.Host.VERTICLE_CONTEXT, VertxFixture.Transport.NATIVE_EPOLL);
    }
}
