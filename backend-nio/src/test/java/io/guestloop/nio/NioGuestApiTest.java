package io.guestloop.nio;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** The guest layer of the conformance kit on the nio backend. */
class NioGuestApiTest extends GuestApiTck {

    @Override
    protected BackendFixture newFixture() {
        return new NioFixture();
    }
}
