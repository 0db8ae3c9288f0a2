package io.guestloop.nio;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** Runs the SPI conformance kit against the {@code nio} backend. */
class NioLoopOpsTckTest extends LoopOpsTck {

    @Override
    protected BackendFixture newFixture() {
        return new NioFixture();
    }
}
