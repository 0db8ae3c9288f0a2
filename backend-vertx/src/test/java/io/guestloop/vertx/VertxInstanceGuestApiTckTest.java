package io.guestloop.vertx;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest-API conformance kit with the guest hosted on a Vertx instance. */
class VertxInstanceGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new VertxFixture(VertxFixture.Host.VERTX);
    }
}
