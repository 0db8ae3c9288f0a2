package io.guestloop.vertx;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on a Vert.x instance on the native epoll transport. */
class NativeEpollInstanceLoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new VertxFixture(VertxFixture.Host.VERTX, VertxFixture.Transport.NATIVE_EPOLL);
    }
}
