package io.guestloop.spi;

import java.io.IOException;
import java.nio.channels.SelectableChannel;

/**
 * One host-loop thread as the guest core sees it (libwebsockets: {@code init_pt}, {@code run_pt},
 * {@code destroy_pt}, {@code foreign_thread}).
 *
 * <p><b>Threading:</b> {@link #wakeup()} may be called from any thread, at any time, and never
 * blocks. {@link #inLoop()} may be called from any thread. {@link #start(ThreadEvents)} is called
 * once, from any thread. Every other method is called only on this loop thread, and every callback
 * ({@link ReadyListener}, {@link ThreadEvents}) is delivered only on it, one at a time, never
 * concurrently with another callback of this thread. A loop-thread-only method called from another
 * thread throws {@link IllegalStateException} naming both threads and changes nothing.
 *
 * <p><b>Exceptions from callbacks:</b> the guest core catches what guest code throws; should a
 * callback still throw, the backend logs it and goes on serving every other registration.
 */
public interface LoopThread {

    /** True when the calling thread is this loop's thread. Cheap; called before every guest method. */
    boolean inLoop();

    /**
     * A name for this loop's thread for error messages (the thread's own name once known); never
     * {@code null}.
     */
    String threadName();

    /**
     * Starts delivering {@code events} for this thread. Called once, before any other method but
     * {@link #inLoop()} and {@link #threadName()}; {@link #wakeup()} may follow at once from the same
     * or another thread and must not be lost even if the loop is not running yet.
     */
    void start(ThreadEvents events);

    /**
     * Watches {@code channel} for the operations in {@code interestOps}
     * ({@link java.nio.channels.SelectionKey#OP_READ} and friends; 0 watches nothing yet).
     * Readiness is level-triggered: while the channel stays ready for an operation of interest,
     * {@link ReadyListener#onReady} is called again on every turn of the loop.
     *
     * @param channel     a channel in non-blocking mode, not yet registered with this thread (the core
     *                    never registers a channel twice, nor again after cancelling it)
     * @param interestOps a subset of {@code channel.validOps()}
     * @param listener    called on this thread with the ready subset of the interest set
     * @return the registration, valid until {@link Registration#cancel()} or {@link LoopOps#close()}
     * @throws IOException              when the loop cannot watch the channel (the channel is closed, say)
     * @throws IllegalArgumentException when {@code interestOps} is not a subset of the channel's valid ops
     */
    Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException;

    /**
     * Arms this thread's single timer for {@code deadlineNanos} (a {@link System#nanoTime()} value),
     * replacing any earlier arming. {@link ThreadEvents#onTimer()} is called once, not before the
     * deadline; a deadline already past fires on the next turn of the loop.
     */
    void armTimer(long deadlineNanos);

    /** Disarms the timer; no {@link ThreadEvents#onTimer()} is delivered for an earlier arming. */
    void disarmTimer();

    /**
     * Makes the loop call {@link ThreadEvents#onWakeup()} soon. Thread-safe, never blocks. Calls that
     * pile up before the loop gets to them may coalesce into one {@code onWakeup}; a call made while
     * {@code onWakeup} is running produces another one, but only after the loop has polled its
     * channels and checked its timer again: wake-ups must never starve readiness or the timer.
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
