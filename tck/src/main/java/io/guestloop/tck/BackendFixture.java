package io.guestloop.tck;

import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;

import java.util.concurrent.CompletionStage;

/**
 * What a backend module gives the conformance kit: a way to make its backend, and for a backend that
 * borrows a foreign loop, a handle on that loop so the kit can check that the loop still serves its
 * own work and can shut it down underneath a live guest.
 *
 * <p>One fixture is made per test method ({@code newFixture()} of {@link LoopOpsTck} and
 * {@link GuestApiTck}) and closed after it, so each test starts on fresh loops.
 *
 * <p><b>Threading:</b> every method is called from the test thread.
 */
public interface BackendFixture extends AutoCloseable {

    /** The provider name of the backend under test ({@code nio}, {@code netty}, ...). */
    String backendName();

    /**
     * The most service threads this fixture can give one context: {@link Integer#MAX_VALUE} for a
     * backend that starts threads of its own, the number of host loops otherwise.
     */
    int maxServiceThreads();

    /**
     * Creates the backend directly through its SPI, with {@code serviceThreads} service threads
     * ({@code 1 <= serviceThreads <= maxServiceThreads()}).
     */
    LoopOps createLoopOps(int serviceThreads);

    /**
     * A builder preset so that {@code build()} runs on this backend with {@code serviceThreads}
     * service threads, found through {@link java.util.ServiceLoader} as an application would (host
     * loop passed, backend not named, unless the backend can only be reached by name).
     */
    GuestContext.Builder contextBuilder(int serviceThreads);

    /** True when the backend borrows a host loop that keeps running after the guest closes. */
    boolean borrowsHostLoop();

    /**
     * Runs a task of the host's own (not the guest's) on the host loop thread that serves service
     * thread {@code index}, and completes with the thread it ran on. Only when
     * {@link #borrowsHostLoop()}.
     */
    default CompletionStage<Thread> runHostTask(int index) {
        throw new UnsupportedOperationException(backendName() + " owns its loop");
    }

    /**
     * Shuts the host loop down underneath any live guest; completes when it has terminated. Only
     * when {@link #borrowsHostLoop()}.
     */
    default CompletionStage<Void> shutdownHost() {
        throw new UnsupportedOperationException(backendName() + " owns its loop");
    }

    /** Releases whatever the fixture made (host loops included); called after each test. */
    @Override
    void close();
}
