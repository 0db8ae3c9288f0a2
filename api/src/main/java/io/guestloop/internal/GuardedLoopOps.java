package io.guestloop.internal;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopThread;

import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A backend's {@link LoopOps} with its threads {@linkplain GuardedLoopThread guarded}, and a
 * {@link #close()} that stops every delivery at once but calls the backend's close only after the
 * callback it was called from has returned.
 *
 * <p>The core wraps every backend in one; the conformance kit wraps the backend under test the same
 * way, so that it checks a shim as the core will run it.
 *
 * <p><b>Threading:</b> {@link #threads()}, {@link #channelProvider()} and {@link #close()} from any
 * thread; {@link #run()} as the backend allows.
 */
public final class GuardedLoopOps implements LoopOps {

    private final LoopOps backend;
    private final List<GuardedLoopThread> threads;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    GuardedLoopOps(LoopOps backend, String backendName, IntFunction<LoopMonitor> monitors) {
        this.backend = Objects.requireNonNull(backend, "backend");
        List<? extends LoopThread> loops = backend.threads();
        if (loops == null || loops.isEmpty()) {
            throw new IllegalStateException("backend " + backendName + " offered no service thread");
        }
        SelectorProvider channels = Objects.requireNonNull(backend.channelProvider(), "channelProvider()");
        List<GuardedLoopThread> list = new ArrayList<>(loops.size());
        for (int i = 0; i < loops.size(); i++) {
            list.add(new GuardedLoopThread(loops.get(i), channels,
                    "service thread " + i + " of " + backendName + " (not running yet)", monitors.apply(i)));
        }
        this.threads = List.copyOf(list);
    }

    /** Wraps {@code backend} with no watchdog: for the conformance kit. Any thread. */
    public static GuardedLoopOps wrap(LoopOps backend, String backendName) {
        return new GuardedLoopOps(backend, backendName, i -> LoopMonitor.unwatched(backendName));
    }

    @Override
    public List<GuardedLoopThread> threads() {
        return threads;
    }

    @Override
    public SelectorProvider channelProvider() {
        return backend.channelProvider();
    }

    @Override
    public CompletionStage<Void> close() {
        if (closing.compareAndSet(false, true)) {
            GuardedLoopThread caller = null;
            for (GuardedLoopThread t : threads) {
                if (t.inLoop()) {
                    caller = t;
                }
            }
            threads.forEach(GuardedLoopThread::stopDelivering);
            if (caller != null && caller.inCallback()) {
                caller.afterCallback(this::closeBackend);
            } else {
                closeBackend();
            }
        }
        return closed;
    }

    private void closeBackend() {
        for (GuardedLoopThread t : threads) {
            if (t.inLoop()) {
                t.release();
            }
        }
        CompletionStage<Void> stage;
        try {
            stage = backend.close();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((v, e) -> {
            for (GuardedLoopThread t : threads) {
                t.stopDelivering(); // the backend let go of the guest: nothing is delivered any more
                t.closeMarkerPipe();
            }
            if (e != null) {
                closed.completeExceptionally(e);
            } else {
                closed.complete(null);
            }
        });
    }

    @Override
    public void run() {
        backend.run();
    }
}
