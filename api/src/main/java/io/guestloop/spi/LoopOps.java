package io.guestloop.spi;

import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A backend instance serving one guest context (libwebsockets: {@code init_context} /
 * {@code destroy_context1/2}).
 *
 * <p><b>Threading:</b> {@link #threads()} and {@link #channelProvider()} from any thread;
 * {@link #close()} once, from any thread, never while a callback of this backend runs;
 * {@link #run()} blocks the calling thread by design and is only for backends created with
 * {@link LoopOptions#runOnCaller()}.
 */
public interface LoopOps {

    /**
     * The service threads this backend offers, fixed for its lifetime; never empty. Index {@code i}
     * of the list is service thread {@code i} of the guest context.
     */
    List<? extends LoopThread> threads();

    /**
     * Makes the channels the core opens for this backend's threads (listening sockets, connecting
     * sockets, the core's own wake-up pipe). Every backend whose loop watches JDK channels keeps this
     * default, the JDK's provider. A loop that watches file descriptors instead (Netty's epoll and
     * io_uring loops) returns a provider whose channels it can watch, so that the core, TLS and every
     * stack above them read and write through the same {@code java.nio} types on any loop.
     */
    default SelectorProvider channelProvider() {
        return SelectorProvider.provider();
    }

    /**
     * Releases the backend: drops whatever registration and timer of the guest are still on the
     * loop, stops threads the backend owns, and leaves a foreign host loop running and serving its own
     * work. The stage completes when no callback of this backend can run any more. The core calls this
     * once, after it has cancelled its registrations and disarmed its timers, and not from inside one
     * of this backend's callbacks (it may still be on a loop thread, after the callback returned).
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
