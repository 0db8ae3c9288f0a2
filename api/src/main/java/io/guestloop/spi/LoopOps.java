package io.guestloop.spi;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A backend instance serving one guest context (libwebsockets: {@code init_context} /
 * {@code destroy_context1/2}).
 *
 * <p><b>Threading:</b> {@link #threads()} and {@link #close()} may be called from any thread and
 * never block; {@link #run()} blocks the calling thread by design and is only for backends created
 * with {@link LoopOptions#runOnCaller()}.
 */
public interface LoopOps {

    /**
     * The service threads this backend offers, fixed for its lifetime; never empty. Index {@code i}
     * of the list is service thread {@code i} of the guest context.
     */
    List<? extends LoopThread> threads();

    /**
     * Releases the backend. On return of the stage, no callback of any {@link LoopThread} runs any
     * more, no registration made through this backend is left on the loop, and no timer is armed.
     * A foreign host loop is left running and serving its own work; threads the backend owns are
     * stopped. Idempotent: later calls return the same stage.
     *
     * <p>The guest core cancels its registrations and disarms its timers before calling this; a
     * backend must still clean up whatever is left (for example after a callback threw).
     */
    CompletionStage<Void> close();

    /**
     * Runs the single loop of a backend created with {@link LoopOptions#runOnCaller()} on the calling
     * thread, until {@link #close()} completes. Backends that cannot run on a caller's thread keep
     * this default.
     *
     * @throws UnsupportedOperationException when this backend always runs on threads it does not
     *                                       get from the caller
     */
    default void run() {
        throw new UnsupportedOperationException(getClass().getName() + " does not run on the caller's thread");
    }
}
