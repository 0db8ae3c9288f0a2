package io.guestloop.internal;

import io.guestloop.GuestContext;

/** Starts guest contexts: the one entry from the public API into the core. */
public final class GuestCore {

    private GuestCore() {
    }

    /** Selects a backend for {@code spec}, creates it and starts the context on it. */
    public static GuestContext start(ContextSpec spec) {
        throw new UnsupportedOperationException("guest core not written yet");
    }
}
