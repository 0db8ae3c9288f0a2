package io.guestloop.executor;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** Runs the guest-API layer of the conformance kit on a plain single-thread executor. */
class SingleThreadGuestApiTest extends GuestApiTck {

    @Override
    protected BackendFixture newFixture() {
        return new SingleThreadFixture();
    }
}
