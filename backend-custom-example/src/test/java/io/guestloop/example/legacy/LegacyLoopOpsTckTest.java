package io.guestloop.example.legacy;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** Runs the SPI conformance kit against the {@code legacy} shim on a running {@code LegacyLoop}. */
class LegacyLoopOpsTckTest extends LoopOpsTck {

    @Override
    protected BackendFixture newFixture() {
        return new LegacyFixture();
    }
}
