package io.guestloop.executor;

import io.guestloop.tck.BackendFixture;
import org.junit.jupiter.api.BeforeAll;
import io.guestloop.tck.GuestApiTck;

/** Runs the guest-API layer of the conformance kit on the JavaFX application thread (on Xvfb: see {@link JavaFxToolkit}). */
class JavaFxGuestApiTest extends GuestApiTck {

    @BeforeAll
    static void startToolkit() {
        JavaFxToolkit.require(JavaFxGuestApiTest.class);
    }

    @Override
    protected BackendFixture newFixture() {
        return new JavaFxFixture();
    }
}
