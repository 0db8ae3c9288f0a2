package io.guestloop.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * One host-loop thread as the guest core sees it (libwebsockets: {@code init_pt}, {@code run_pt},
 * {@code foreign_thread}, {@code sock_accept}). A shim maps these seven methods onto its loop and
 * nothing else: the guest core keeps every other promise around it (thread checks, interest-op
 * checks, coalesced and fair wake-ups, no delivery after a cancel or a close, exceptions caught).
 * The package documentation has the whole threading table.
 *
 * <p><b>Threading:</b> {@link #wakeup()} and {@link #inLoop()} from any thread; {@link #start} once,
 * from the thread that builds the context; every other method only on this loop thread. Every
 * callback ({@link ReadyListener}, {@link ThreadEvents}) must be delivered on this loop thread, one
 * at a time.
 */
public interface LoopThread {

    /** True when the calling thread is this loop's thread. Cheap: the core calls it before every guest method. */
    boolean inLoop();

    /**
     * Starts delivering {@code events} for this thread. Called once, before any other method but
     * {@link #inLoop()}; the core's first {@link #wakeup()} follows at once, possibly before the loop
     * runs, and must not be lost.
     */
    void start(ThreadEvents events);

    /**
     * Watches {@code channel} for the operations in {@code interestOps}
     * ({@link java.nio.channels.SelectionKey#OP_READ} and friends; 0 watches nothing yet). Readiness is
     * level-triggered: while the channel stays ready for an operation of interest,
     * {@link ReadyListener#onReady} is called again on every turn of the loop.
     *
     * <p>The core passes an open, non-blocking channel made by {@link LoopOps#channelProvider()} (or
     * adopted by the application), registers it once, and asks only for a subset of its
     * {@code validOps()}.
     *
     * @return the registration through which the core changes or cancels the watch
     * @throws IOException when the loop cannot watch the channel
     */
    Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException;

    /**
     * Arms this thread's single timer for {@code deadlineNanos} (a {@link System#nanoTime()} value),
     * replacing any earlier arming: {@link ThreadEvents#onTimer()} once the deadline has passed, on the
     * next turn when it has passed already.
     */
    void armTimer(long deadlineNanos);

    /** Disarms the timer. An {@code onTimer} already on its way is harmless: the core ignores it. */
    void disarmTimer();

    /**
     * Makes the loop call {@link ThreadEvents#onWakeup()} soon. Any thread; never blocks. The core
     * merges every {@code cancelService()} and hand-over into this call, and makes it again only after
     * the loop has polled its channels since the last {@code onWakeup}: posting a task to the loop's
     * own queue is enough, even a queue the loop drains until it is empty.
     */
    void wakeup();

    /**
     * Guest code on this thread threw {@code error}; the core has already given it to the guest's
     * error handler and closed the connection it belonged to. A backend whose host has error
     * reporting of its own passes it on there (a Vert.x context's exception handler), as the host
     * would for its own code. Called on this loop thread; must not throw. The default does nothing.
     */
    default void guestFailed(Throwable error) {
    }
}
