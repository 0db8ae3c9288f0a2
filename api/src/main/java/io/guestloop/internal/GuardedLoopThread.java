package io.guestloop.internal;

import io.guestloop.WrongThreadException;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend's {@link LoopThread} with every promise the core keeps around it, so that a shim only
 * maps its loop: calls are checked for the thread (naming both threads) and for valid interest sets;
 * nothing is delivered after {@link #release()}; a timer that fires early is re-armed, one that was
 * disarmed is ignored; what escapes a callback is caught; and wake-ups are merged and fair.
 *
 * <p><b>Fair wake-ups.</b> {@link #wakeup()} calls the backend only when no wake-up is under way.
 * After each {@code onWakeup} the thread does not go back to that state at once: it arms its
 * <i>turn marker</i>, the write end of a pipe watched for {@code OP_WRITE}, which is always ready,
 * so the loop reports it on its next poll. Until then wake-ups only set a flag; the marker's
 * readiness then runs the next {@code onWakeup} (or, with nothing pending, disarms the marker and
 * lets the next wake-up reach the backend again). So two {@code onWakeup}s never follow each other
 * without a poll in between, whatever the backend's {@code wakeup()} does: posting a task to a queue
 * that the loop drains until it is empty cannot starve readiness or timers.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()} and {@link #threadName()} from any
 * thread; {@link #start} once; every other method on the loop thread, where the backend delivers
 * the {@link ThreadEvents} callbacks.
 */
public final class GuardedLoopThread implements LoopThread, ThreadEvents {

    private static final System.Logger LOG = System.getLogger("io.guestloop.loop");

    private static final int IDLE = 0;        // nothing pending; the next wake-up calls the backend
    private static final int SIGNALLED = 1;   // an onWakeup is on its way (the backend's or the marker's)
    private static final int DISPATCHING = 2; // onWakeup is running
    private static final int AGAIN = 3;       // onWakeup is running and another was asked for
    private static final int COOLING = 4;     // nothing pending, the marker is armed: waiting for a poll

    private final LoopThread backend;
    private final SelectorProvider channels;
    private final String provisionalName;
    final LoopMonitor monitor;
    private final AtomicInteger wake = new AtomicInteger(IDLE);
    private final ReadyListener markerListener = ops -> onMarker();

    private volatile ThreadEvents events;
    private volatile boolean closed;
    private volatile boolean hostClosingDelivered;
    private volatile String name;

    // Loop thread only.
    private boolean named;
    private boolean timerArmed;
    private long timerDeadline;
    private PollMarker marker;
    private boolean markerArmed;
    private boolean markerFailed;
    private boolean markerCancelled;
    private Runnable afterCallback;
    /** After a release: what runs once the loop has polled again, and the fresh marker that tells. */
    private Runnable afterReleasePoll;
    private PollMarker releaseMarker;

    GuardedLoopThread(LoopThread backend, SelectorProvider channels, String provisionalName, LoopMonitor monitor) {
        this.backend = Objects.requireNonNull(backend, "backend thread");
        this.channels = channels;
        this.provisionalName = provisionalName;
        this.monitor = monitor;
    }

    // ---- identity ----------------------------------------------------------------------------

    @Override
    public boolean inLoop() {
        return backend.inLoop();
    }

    /** The loop thread's name once a callback ran on it; a provisional one before. Any thread. */
    public String threadName() {
        String n = name;
        return n != null ? n : provisionalName;
    }

    /** @throws WrongThreadException off the loop thread, naming both threads */
    void checkLoop(String what) {
        if (!backend.inLoop()) {
            throw new WrongThreadException(what, threadName(), Thread.currentThread().getName());
        }
    }

    /** True once {@link #release()} ran or the backend closed: nothing is delivered any more. Any thread. */
    public boolean isClosed() {
        return closed;
    }

    // ---- what the core asks ------------------------------------------------------------------

    @Override
    public void start(ThreadEvents threadEvents) {
        Objects.requireNonNull(threadEvents, "events");
        if (events != null) {
            throw new IllegalStateException("start(...) called twice on " + threadName());
        }
        events = threadEvents;
        backend.start(this);
    }

    /**
     * @throws ClosedChannelException        when the channel is closed
     * @throws IllegalBlockingModeException  when the channel is in blocking mode
     * @throws IllegalArgumentException      when {@code interestOps} is not a subset of its valid ops
     * @throws IOException                   when the thread is closed or the loop cannot watch it
     */
    @Override
    public GuardedRegistration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        checkLoop("LoopThread.register");
        InterestOps.check(channel, interestOps);
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        if (channel.isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        if (closed) {
            throw new IOException("cannot watch " + channel + ": service thread " + threadName() + " is closed");
        }
        GuardedRegistration registration = new GuardedRegistration(this, channel, interestOps, listener);
        registration.bind(backend.register(channel, interestOps, registration));
        return registration;
    }

    @Override
    public void armTimer(long deadlineNanos) {
        checkLoop("LoopThread.armTimer");
        if (!closed) {
            timerArmed = true;
            timerDeadline = deadlineNanos;
            backend.armTimer(deadlineNanos);
        }
    }

    @Override
    public void disarmTimer() {
        checkLoop("LoopThread.disarmTimer");
        if (timerArmed) {
            timerArmed = false;
            backend.disarmTimer();
        }
    }

    @Override
    public void wakeup() {
        for (;;) {
            int s = wake.get();
            if (s == SIGNALLED || s == AGAIN || closed) {
                return; // merged into the one on its way
            }
            if (s == IDLE) {
                if (wake.compareAndSet(IDLE, SIGNALLED)) {
                    backend.wakeup();
                    return;
                }
            } else if (wake.compareAndSet(s, s == DISPATCHING ? AGAIN : SIGNALLED)) {
                return; // the running onWakeup, or the armed marker, brings the next one
            }
        }
    }

    @Override
    public void guestFailed(Throwable error) {
        try {
            backend.guestFailed(error);
        } catch (Throwable t) {
            callbackFailed("guestFailed", t);
        }
    }

    /**
     * Stops every delivery of this thread and lets go of what the guard itself holds on the loop (its
     * timer and turn marker). Loop thread, or any thread once the loop is gone. Idempotent.
     */
    public void release() {
        closed = true;
        if (timerArmed) {
            timerArmed = false;
            backend.disarmTimer();
        }
        if (marker != null && !markerCancelled) {
            markerCancelled = true;
            marker.registration().cancel();
        }
    }

    /**
     * {@link #release()}, then runs {@code then} on this thread once the loop has polled again: a JDK
     * selector closes a channel that was cancelled while registered (a listening socket, say) only at
     * its next selection, and a close must not complete before that. A freshly registered marker can
     * only be reported by a selection after every cancel made before it. When the host loop is going
     * away ({@code awaitPoll} false), or no marker can be had, {@code then} runs at once. Loop thread.
     */
    void release(boolean awaitPoll, Runnable then) {
        release();
        if (awaitPoll) {
            try {
                afterReleasePoll = then;
                releaseMarker = PollMarker.open(channels, backend, SelectionKey.OP_WRITE, ops -> onReleasePolled());
                return;
            } catch (IOException | RuntimeException e) {
                afterReleasePoll = null;
                LOG.log(System.Logger.Level.DEBUG, "service thread " + threadName() + " closes without waiting for a poll: " + e);
            }
        }
        then.run();
    }

    private void onReleasePolled() {
        Runnable then = afterReleasePoll;
        if (then == null) {
            return;
        }
        afterReleasePoll = null;
        releaseMarker.registration().cancel();
        enter();
        try {
            then.run();
        } catch (Throwable t) {
            callbackFailed("the close of " + threadName(), t);
        } finally {
            exit();
        }
    }

    /** Stops every delivery of this thread from now on. Any thread. */
    void stopDelivering() {
        closed = true;
    }

    /** Closes the marker's pipe once the backend has let go of it. Any thread. */
    void closeMarkerPipe() {
        for (PollMarker m : new PollMarker[] {marker, releaseMarker}) {
            if (m != null) {
                m.closePipe();
            }
        }
        marker = null;
        releaseMarker = null;
    }

    // ---- what the backend delivers -----------------------------------------------------------

    @Override
    public void onTimer() {
        if (closed || !timerArmed) {
            return; // disarmed (or re-armed and delivered) since the backend decided to fire
        }
        if (System.nanoTime() - timerDeadline < 0) {
            backend.armTimer(timerDeadline); // early: never run a guest timer before its time
            return;
        }
        timerArmed = false; // before the call, so that onTimer may arm again
        enter();
        try {
            events.onTimer();
        } catch (Throwable t) {
            callbackFailed("onTimer", t);
        } finally {
            exit();
        }
    }

    @Override
    public void onWakeup() {
        if (!closed && wake.get() == SIGNALLED) {
            dispatch();
        } // else a wake-up the backend merged late or repeated: nothing is pending for it
    }

    @Override
    public void onHostLoopClosing() {
        if (afterReleasePoll != null) {
            onReleasePolled(); // a close was waiting for a poll that a stopping loop will never make
            return;
        }
        if (closed || hostClosingDelivered) {
            return;
        }
        hostClosingDelivered = true;
        enter();
        try {
            events.onHostLoopClosing();
        } catch (Throwable t) {
            callbackFailed("onHostLoopClosing", t);
        } finally {
            exit();
        }
    }

    // ---- the callback frame ------------------------------------------------------------------

    /** A callback into the core begins on the loop thread. */
    void enter() {
        if (!named) {
            named = true;
            name = Thread.currentThread().getName();
        }
        monitor.enter();
    }

    /** The callback begun by {@link #enter()} returned; runs what waited for it. */
    void exit() {
        monitor.exit();
        if (afterCallback != null && !monitor.inCallback()) {
            Runnable r = afterCallback;
            afterCallback = null;
            r.run();
        }
    }

    /** True while a callback of this thread runs; loop thread only. */
    boolean inCallback() {
        return monitor.inCallback();
    }

    /** Runs {@code task} once the running callback has returned. Loop thread, inside a callback. */
    void afterCallback(Runnable task) {
        Runnable earlier = afterCallback;
        afterCallback = earlier == null ? task : () -> {
            earlier.run();
            task.run();
        };
    }

    void callbackFailed(String what, Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
        try {
            LOG.log(System.Logger.Level.WARNING, what + " threw on service thread " + threadName()
                    + "; the loop goes on serving every other registration", t);
        } catch (RuntimeException | LinkageError logFailed) {
            // A log that fails (out of file descriptors, say) must not end the loop thread either.
        }
    }

    // ---- wake-ups ----------------------------------------------------------------------------

    private void dispatch() {
        wake.set(DISPATCHING);
        enter();
        try {
            events.onWakeup();
        } catch (Throwable t) {
            callbackFailed("onWakeup", t);
        } finally {
            settleAfterDispatch();
            exit();
        }
    }

    /** The next onWakeup comes only after the loop has polled: through the marker. */
    private void settleAfterDispatch() {
        if (closed) {
            return;
        }
        if (armMarker()) {
            if (!wake.compareAndSet(DISPATCHING, COOLING)) {
                wake.set(SIGNALLED);
            }
        } else if (!wake.compareAndSet(DISPATCHING, IDLE)) {
            wake.set(SIGNALLED); // no marker could be had: fall back to the backend's own wake-up
            backend.wakeup();
        }
    }

    private void onMarker() {
        if (closed) {
            return;
        }
        for (;;) {
            int s = wake.get();
            if (s == SIGNALLED) {
                dispatch();
                return;
            }
            if (s != COOLING) {
                disarmMarker(); // stale readiness, collected before the marker was disarmed
                return;
            }
            if (wake.compareAndSet(COOLING, IDLE)) {
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
            marker = PollMarker.open(channels, backend, 0, markerListener);
            return true;
        } catch (IOException | RuntimeException e) {
            markerFailed = true;
            LOG.log(System.Logger.Level.WARNING, "service thread " + threadName() + " could not open its wake-up marker ("
                    + e + "); wake-ups go straight to the backend, and a backend that runs them in the same turn may starve", e);
            return false;
        }
    }

    /**
     * The write end of a pipe, watched by the backend: a pipe with room is always writable, so the
     * loop reports it on its next poll, and only then. Both markers of the thread are one of these.
     */
    private record PollMarker(Pipe pipe, Registration registration) {

        /** Opens the pipe and registers its write end for {@code ops}; on failure nothing is left open. */
        static PollMarker open(SelectorProvider channels, LoopThread backend, int ops, ReadyListener listener) throws IOException {
            Pipe p = channels.openPipe();
            try {
                p.sink().configureBlocking(false);
                return new PollMarker(p, backend.register(p.sink(), ops, listener));
            } catch (IOException | RuntimeException e) {
                new PollMarker(p, null).closePipe();
                throw e;
            }
        }

        /** Closes both ends, once the backend has let go of the registration. */
        void closePipe() {
            for (java.nio.channels.Channel c : new java.nio.channels.Channel[] {pipe.sink(), pipe.source()}) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LoopThread[" + threadName() + "]";
    }
}
