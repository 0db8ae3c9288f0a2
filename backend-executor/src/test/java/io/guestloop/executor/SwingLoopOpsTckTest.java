package io.guestloop.executor;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** Runs the SPI conformance kit against the {@code executor} backend on the Swing event dispatch thread. */
class SwingLoopOpsTckTest extends LoopOpsTck {

    @Override
    protected BackendFixture newFixture() {
        return new SwingFixture();
    }
}
