package io.guestloop.tck;

import io.guestloop.internal.GuardedLoopOps;
import io.guestloop.internal.GuardedLoopThread;
import io.guestloop.spi.LoopOps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One backend made for a test, wrapped as the guest core wraps every backend (so that the kit checks
 * a shim as the core will run it), with a {@link ThreadProbe} per service thread.
 *
 * <p><b>Threading:</b> used from the test thread; the probes run their callbacks on the loop threads.
 */
final class LoopUnderTest {

    final GuardedLoopOps ops;
    private final List<ThreadProbe> probes = new ArrayList<>();
    private CompletionStage<Void> closeStage;

    LoopUnderTest(LoopOps backend, String backendName) {
        this.ops = GuardedLoopOps.wrap(backend, backendName);
        List<GuardedLoopThread> threads = ops.threads();
        for (int i = 0; i < threads.size(); i++) {
            probes.add(new ThreadProbe(threads.get(i), i));
        }
    }

    /** The probe of service thread {@code index}. */
    ThreadProbe probe(int index) {
        return probes.get(index);
    }

    List<ThreadProbe> probes() {
        return List.copyOf(probes);
    }

    /** Starts every service thread with its probe. */
    LoopUnderTest start() {
        for (ThreadProbe probe : probes) {
            probe.loopThread.start(probe);
        }
        return this;
    }

    /**
     * Closes the backend (once; later calls return the first stage) and tells every probe when the
     * stage completed, so that a callback after that point is recorded as a violation.
     */
    synchronized CompletionStage<Void> close() {
        if (closeStage == null) {
            closeStage = ops.close();
            closeStage.whenComplete((ignored, failure) -> probes.forEach(ThreadProbe::closeCompleted));
        }
        return closeStage;
    }

    /** Closes and waits for the stage. */
    void closeAndWait() {
        Timeouts.await(close(), "LoopOps.close() to complete");
    }

    /** Every violation any probe recorded. */
    List<String> violations() {
        List<String> all = new ArrayList<>();
        probes.forEach(probe -> all.addAll(probe.violations()));
        return all;
    }
}
