package io.guestloop.internal;

import io.guestloop.WrongThreadException;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.ThreadEvents;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * A backend's {@link LoopThread} with every promise the core keeps around it, so that a shim only
 * maps its loop: calls are checked for the thread (naming both threads) and for valid interest sets;
 * nothing is delivered after {@link #release()}; a timer that fires early is re-armed, one that was
 * disarmed is ignored; what escapes a callback is caught; and wake-ups are merged and fair.
 *
 * <p><b>Fair wake-ups.</b> {@link #wakeup()} calls the backend only when no wake-up is under way,
 * and two {@code onWakeup}s never follow each other without a poll in between, whatever the
 * backend's {@code wakeup()} does: {@code GuardedWakeups} keeps that state and its turn marker.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()} and {@link #threadName()} from any
 * thread; {@link #start} once; every other method on the loop thread, where the backend delivers
 * the {@link ThreadEvents} callbacks.
 */
public final class GuardedLoopThread implements LoopThread, ThreadEvents {

    private static final System.Logger LOG = System.getLogger("io.guestloop.loop");

    /** The guest's thread events, as {@link #deliver} takes them, with the callback names a failure is logged under. */
    private enum Event {
        ON_TIMER("onTimer"), ON_WAKEUP("onWakeup"), ON_HOST_LOOP_CLOSING("onHostLoopClosing");

        final String callback;

        Event(String callback) {
            this.callback = callback;
        }
    }

    private final LoopThread backend;
    private final SelectorProvider channels;
    private final String provisionalName;
    final LoopMonitor monitor;
    private final GuardedWakeups wakeups;

    private volatile ThreadEvents events;
    private volatile boolean closed;
    private volatile boolean hostClosingDelivered;
    private volatile String name;

    // Loop thread only.
    private boolean named;
    private boolean timerArmed;
    private long timerDeadline;
    private Runnable afterCallback;
    /** After a release: what runs once the loop has polled again, and the fresh marker that tells. */
    private Runnable afterReleasePoll;
    private LoopPollMarker releaseMarker;

    GuardedLoopThread(LoopThread backend, SelectorProvider channels, String provisionalName, LoopMonitor monitor) {
        this.backend = Objects.requireNonNull(backend, "backend thread");
        this.channels = channels;
        this.provisionalName = provisionalName;
        this.monitor = monitor;
        this.wakeups = new GuardedWakeups(this, this.backend, channels);
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
        wakeups.request();
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
        wakeups.cancelMarker();
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
                releaseMarker = LoopPollMarker.open(channels, backend, SelectionKey.OP_WRITE, ops -> onReleasePolled());
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

    /** Closes the markers' pipes once the backend has let go of them. Any thread. */
    void closeMarkerPipe() {
        wakeups.closeMarkerPipe();
        if (releaseMarker != null) {
            releaseMarker.closePipe();
        }
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
        deliver(Event.ON_TIMER);
    }

    @Override
    public void onWakeup() {
        if (!closed) {
            wakeups.onBackendWakeup();
        }
    }

    /** The guest's {@code onWakeup}, once {@link GuardedWakeups} found one pending. Loop thread. */
    void deliverWakeup() {
        deliver(Event.ON_WAKEUP);
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
        deliver(Event.ON_HOST_LOOP_CLOSING);
    }

    /**
     * Runs one of the guest's {@link ThreadEvents} in a callback frame, catching what it throws. An
     * event is a constant, not a lambda, so that a delivery allocates nothing. After an
     * {@code onWakeup} the wake-ups settle inside the frame, before what waits for the callback runs.
     */
    private void deliver(Event event) {
        enter();
        try {
            switch (event) {
                case ON_TIMER -> events.onTimer();
                case ON_WAKEUP -> events.onWakeup();
                case ON_HOST_LOOP_CLOSING -> events.onHostLoopClosing();
            }
        } catch (Throwable t) {
            callbackFailed(event.callback, t);
        } finally {
            if (event == Event.ON_WAKEUP) {
                wakeups.settleAfterDispatch();
            }
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

    @Override
    public String toString() {
        return "LoopThread[" + threadName() + "]";
    }
}
