package io.guestloop.vertx;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest-API conformance kit with the guest hosted on the context of a deployed verticle. */
class VerticleContextGuestApiTckTest extends GuestApiTck {
    @Override
    protected BackendFixture newFixture() {
        return new VertxFixture(VertxFixture.Host.VERTICLE_CONTEXT);
    }
}
