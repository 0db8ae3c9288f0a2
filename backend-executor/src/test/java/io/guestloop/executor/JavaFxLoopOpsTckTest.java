package io.guestloop.executor;

import io.guestloop.tck.BackendFixture;
import org.junit.jupiter.api.BeforeAll;
import io.guestloop.tck.LoopOpsTck;

/** Runs the SPI conformance kit on the JavaFX application thread (on Xvfb: see {@link JavaFxToolkit}). */
class JavaFxLoopOpsTckTest extends LoopOpsTck {

    @BeforeAll
    static void startToolkit() {
        JavaFxToolkit.require(JavaFxLoopOpsTckTest.class);
    }

    @Override
    protected BackendFixture newFixture() {
        return new JavaFxFixture();
    }
}
