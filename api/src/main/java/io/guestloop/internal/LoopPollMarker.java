package io.guestloop.internal;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/**
 * The write end of a pipe, watched by the backend: a pipe with room is always writable, so the
 * loop reports it on its next poll, and only then. Both markers of a {@link GuardedLoopThread} (the
 * wake-ups' turn marker and the close's poll marker) are one of these.
 *
 * <p><b>Threading:</b> {@link #open} on the loop thread; {@link #closePipe()} from any thread, once
 * the backend has let go of the registration.
 */
record LoopPollMarker(Pipe pipe, Registration registration) {

    /** Opens the pipe and registers its write end for {@code ops}; on failure nothing is left open. */
    static LoopPollMarker open(SelectorProvider channels, LoopThread backend, int ops, ReadyListener listener) throws IOException {
        Pipe p = channels.openPipe();
        try {
            p.sink().configureBlocking(false);
            return new LoopPollMarker(p, backend.register(p.sink(), ops, listener));
        } catch (IOException | RuntimeException e) {
            new LoopPollMarker(p, null).closePipe();
            throw e;
        }
    }

    /** Closes both ends, once the backend has let go of the registration. */
    void closePipe() {
        for (Channel c : new Channel[] {pipe.sink(), pipe.source()}) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
