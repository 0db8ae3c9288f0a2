package io.guestloop.internal;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts guest contexts: the one entry from the public API into the core.
 *
 * <p><b>Threading:</b> any thread; the work on each loop is handed over to it.
 */
public final class GuestCore {

    private GuestCore() {
    }

    /** Selects a backend for {@code spec}, creates it, binds the listeners and starts the context. */
    public static GuestContext start(ContextSpec spec) {
        LoopOpsProvider provider = BackendSelector.fromServiceLoader().select(spec.backend(), spec.hostLoop());
        LoopOps ops = provider.create(new LoopOptions(spec.hostLoop(), spec.serviceThreads(), spec.runOnCaller()));
        List<CoreListener> listeners = new ArrayList<>();
        try {
            for (ContextSpec.ListenSpec l : spec.listens()) {
                listeners.add(CoreListener.bind(ops.channelProvider(), l.address(), l.tls(), l.handler()));
            }
        } catch (IOException | RuntimeException e) {
            // Nothing is left open: the listeners bound so far, and the backend (its owned threads).
            listeners.forEach(CoreListener::closeInternal);
            ops.close();
            SocketAddress address = spec.listens().get(listeners.size()).address();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), io);
            }
            throw new IllegalArgumentException("cannot listen on " + address + ": " + e, e);
        }
        CoreContext context;
        try {
            context = new CoreContext(spec, provider.name(), ops, listeners);
        } catch (RuntimeException e) {
            listeners.forEach(CoreListener::closeInternal);
            ops.close();
            throw e;
        }
        context.start(listeners);
        return context;
    }
}
