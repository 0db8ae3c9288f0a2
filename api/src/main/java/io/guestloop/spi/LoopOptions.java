package io.guestloop.spi;

import java.util.Objects;

/**
 * What a guest context asks of a backend: an immutable value handed to
 * {@link LoopOpsProvider#create(LoopOptions)}.
 *
 * <p><b>Threading:</b> immutable, safe to share.
 *
 * @param hostLoop       the application's loop to borrow, or {@code null} when the backend owns its
 *                       threads
 * @param serviceThreads how many service threads the context wants; 0 means the backend's default
 *                       (one per available processor for an owned loop, every loop of a foreign
 *                       group). A backend on a foreign loop may offer fewer when the host has fewer.
 * @param runOnCaller    true when the backend must not start a thread of its own but run its single
 *                       loop on the thread that calls {@link LoopOps#run()}
 */
public record LoopOptions(Object hostLoop, int serviceThreads, boolean runOnCaller) {

    /** Validates the values: a negative thread count is a caller bug. */
    public LoopOptions {
        if (serviceThreads < 0) {
            throw new IllegalArgumentException("serviceThreads must be >= 0 (0 = backend default), was " + serviceThreads);
        }
        if (runOnCaller && serviceThreads > 1) {
            throw new IllegalArgumentException("runOnCaller runs exactly one loop on the calling thread; serviceThreads was " + serviceThreads);
        }
    }

    /** Options for a backend that owns its threads, {@code threads} of them (0 = default). */
    public static LoopOptions owned(int threads) {
        return new LoopOptions(null, threads, false);
    }

    /** Options for a backend that borrows {@code hostLoop}, with its default number of threads. */
    public static LoopOptions on(Object hostLoop) {
        return new LoopOptions(Objects.requireNonNull(hostLoop, "hostLoop"), 0, false);
    }

    /** The service thread count a backend owning its threads should start. */
    public int ownedThreadCount() {
        if (runOnCaller) {
            return 1;
        }
        return serviceThreads > 0 ? serviceThreads : Runtime.getRuntime().availableProcessors();
    }
}
