package io.guestloop.internal;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wake-ups of one {@link GuardedLoopThread}: merged, and fair to the rest of the loop.
 *
 * <p>{@link #request()} calls the backend only when no wake-up is under way. After each
 * {@code onWakeup} the thread does not go back to that state at once: it arms its <i>turn
 * marker</i>, a {@link LoopPollMarker} watched for {@code OP_WRITE}, which is always ready, so the
 * loop reports it on its next poll. Until then wake-ups only set a flag; the marker's readiness then
 * runs the next {@code onWakeup} (or, with nothing pending, disarms the marker and lets the next
 * wake-up reach the backend again). So two {@code onWakeup}s never follow each other without a poll
 * in between, whatever the backend's {@code wakeup()} does: posting a task to a queue that the loop
 * drains until it is empty cannot starve readiness or timers.
 *
 * <p>This class keeps the state and the marker; the guest's {@code onWakeup} itself runs in the
 * thread's callback frame ({@link GuardedLoopThread#deliverWakeup()}), which calls
 * {@link #settleAfterDispatch()} before the frame closes.
 *
 * <p><b>Threading:</b> {@link #request()} from any thread; {@link #closeMarkerPipe()} from any
 * thread once the backend has let go of the guest; every other method on the loop thread.
 */
final class GuardedWakeups {

    private static final System.Logger LOG = System.getLogger("io.guestloop.loop");

    private static final int IDLE = 0;        // nothing pending; the next wake-up calls the backend
    private static final int SIGNALLED = 1;   // an onWakeup is on its way (the backend's or the marker's)
    private static final int DISPATCHING = 2; // onWakeup is running
    private static final int AGAIN = 3;       // onWakeup is running and another was asked for
    private static final int COOLING = 4;     // nothing pending, the marker is armed: waiting for a poll

    private final GuardedLoopThread thread;
    private final LoopThread backend;
    private final SelectorProvider channels;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final ReadyListener markerListener = ops -> onMarker();

    // Loop thread only.
    private LoopPollMarker marker;
    private boolean markerArmed;
    private boolean markerFailed;
    private boolean markerCancelled;

    GuardedWakeups(GuardedLoopThread thread, LoopThread backend, SelectorProvider channels) {
        this.thread = thread;
        this.backend = backend;
        this.channels = channels;
    }

    /** The guard's {@code wakeup()}: calls the backend only when no wake-up is on its way. Any thread. */
    void request() {
        for (;;) {
            int s = state.get();
            if (s == SIGNALLED || s == AGAIN || thread.isClosed()) {
                return; // merged into the one on its way
            }
            if (s == IDLE) {
                if (state.compareAndSet(IDLE, SIGNALLED)) {
                    backend.wakeup();
                    return;
                }
            } else if (state.compareAndSet(s, s == DISPATCHING ? AGAIN : SIGNALLED)) {
                return; // the running onWakeup, or the armed marker, brings the next one
            }
        }
    }

    /** The backend's {@code onWakeup}, on an open thread: dispatches the one pending, if any. */
    void onBackendWakeup() {
        if (state.get() == SIGNALLED) {
            dispatch();
        } // else a wake-up the backend merged late or repeated: nothing is pending for it
    }

    /** The next onWakeup comes only after the loop has polled: through the marker. */
    void settleAfterDispatch() {
        if (thread.isClosed()) {
            return;
        }
        if (armMarker()) {
            if (!state.compareAndSet(DISPATCHING, COOLING)) {
                state.set(SIGNALLED);
            }
        } else if (!state.compareAndSet(DISPATCHING, IDLE)) {
            state.set(SIGNALLED); // no marker could be had: fall back to the backend's own wake-up
            backend.wakeup();
        }
    }

    /** Cancels the marker's registration for good: nothing is woken any more. Idempotent. */
    void cancelMarker() {
        if (marker != null && !markerCancelled) {
            markerCancelled = true;
            marker.registration().cancel();
        }
    }

    /** Closes the marker's pipe once the backend has let go of it. Any thread. */
    void closeMarkerPipe() {
        if (marker != null) {
            marker.closePipe();
        }
        marker = null;
    }

    private void dispatch() {
        state.set(DISPATCHING);
        thread.deliverWakeup();
    }

    private void onMarker() {
        if (thread.isClosed()) {
            return;
        }
        for (;;) {
            int s = state.get();
            if (s == SIGNALLED) {
                dispatch();
                return;
            }
            if (s != COOLING) {
                disarmMarker(); // stale readiness, collected before the marker was disarmed
                return;
            }
            if (state.compareAndSet(COOLING, IDLE)) {
                disarmMarker();
                return;
            }
        }
    }

    private boolean armMarker() {
        if (markerCancelled) {
            return false; // released: nothing is woken any more
        }
        if (marker == null) {
            if (markerFailed || !openMarker()) {
                return false;
            }
        }
        if (!markerArmed) {
            markerArmed = true;
            marker.registration().interestOps(SelectionKey.OP_WRITE);
        }
        return true;
    }

    private void disarmMarker() {
        if (markerArmed && !markerCancelled) {
            markerArmed = false;
            marker.registration().interestOps(0);
        }
    }

    private boolean openMarker() {
        try {
            marker = LoopPollMarker.open(channels, backend, 0, markerListener);
            return true;
        } catch (IOException | RuntimeException e) {
            markerFailed = true;
            LOG.log(System.Logger.Level.WARNING, "service thread " + thread.threadName() + " could not open its wake-up marker ("
                    + e + "); wake-ups go straight to the backend, and a backend that runs them in the same turn may starve", e);
            return false;
        }
    }
}
