package io.guestloop.executor;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** Runs the guest-API layer of the conformance kit on the Swing event dispatch thread. */
class SwingGuestApiTest extends GuestApiTck {

    @Override
    protected BackendFixture newFixture() {
        return new SwingFixture();
    }
}
