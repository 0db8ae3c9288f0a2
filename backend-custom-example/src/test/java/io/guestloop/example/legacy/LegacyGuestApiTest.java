package io.guestloop.example.legacy;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.GuestApiTck;

/** Runs the guest-API layer of the conformance kit on a guest lent a running {@code LegacyLoop}. */
class LegacyGuestApiTest extends GuestApiTck {

    @Override
    protected BackendFixture newFixture() {
        return new LegacyFixture();
    }
}
