package io.guestloop.vertx;

import io.guestloop.tck.BackendFixture;
import io.guestloop.tck.LoopOpsTck;

/** The SPI conformance kit on the context of a verticle in a Vert.x on the native epoll transport. */
class NativeEpollVerticleContextLoopOpsTckTest extends LoopOpsTck {
    @Override
    protected BackendFixture newFixture() {
        return new VertxFixture(VertxFixture.Host.VERTICLE_CONTEXT, VertxFixture.Transport.NATIVE_EPOLL);
    }
}
