package io.guestloop.executor;

import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;

import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code executor} backend for one context: the host's thread is its only service thread, so
 * this class is both the backend ({@link LoopOps}) and that thread ({@link LoopThread}). A
 * {@link Watcher} thread waits on the sockets and the timer; a {@link HostHandoff} carries what it
 * found, the timer's expiry and the wake-ups to the host thread, where every callback runs.
 *
 * <p><b>The host keeps ownership.</b> {@link #close()} stops the watcher and leaves the executor and
 * its thread alone. When the host stops (its stop signal completes, or its executor refuses a
 * hand-off), the guest is told through {@link ThreadEvents#onHostLoopClosing()} on the host thread
 * while the host still runs tasks, else on the watcher thread, which from then on is the loop thread
 * ({@link #inLoop()} says so) for the guest's last callback; then the watcher ends.
 *
 * <p><b>A host that is not serial</b> (its executor runs a hand-off where {@code onHostThread} is
 * false) is a user error: the hand-off delivers nothing, the error is logged, the guest is closed
 * from the watcher thread and the close stage fails with an {@link IllegalStateException} that says
 * what the host has to promise.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #threads()}, {@link #start} and
 * {@link #close()} from any thread; every other method on the loop thread (the core checks), where
 * every callback is delivered.
 */
final class ExecutorLoopOps implements LoopOps, LoopThread, HostHandoff.Turn, Watcher.Successor {

    private static final System.Logger LOG = System.getLogger(ExecutorLoopOps.class.getName());
    private static final AtomicInteger CONTEXTS = new AtomicInteger();

    private final SerialHost host;
    private final Watcher watcher;
    private final HostHandoff handoff;
    private final AtomicBoolean wakeupRequested = new AtomicBoolean();
    private final AtomicBoolean closingDelivered = new AtomicBoolean();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private final StopLink stopLink = new StopLink(this);

    private volatile ThreadEvents events;
    private volatile boolean closed;
    private volatile boolean closingRequested;
    /** The host is gone: the watcher thread is the loop thread for the guest's last callback. */
    private volatile boolean takenOver;
    private volatile IllegalStateException misuse;
    /** The host refused work: the watcher takes over as soon as no hand-off runs. */
    private volatile boolean takeOverPending;

    // Host thread only.
    private boolean inHostTurn;
    private final List<WatchedChannel> batch = new ArrayList<>();

    ExecutorLoopOps(SerialHost host) {
        this.host = host;
        this.watcher = new Watcher("guestloop-watcher-" + host.name() + "-" + CONTEXTS.incrementAndGet(),
                this::readinessWaiting, this);
        this.handoff = new HostHandoff(host.executor(), this);
    }

    // ---- LoopOps ----------------------------------------------------------------------------

    @Override
    public List<LoopThread> threads() {
        return List.of(this);
    }

    /** Stops the watcher; completes when it has ended and no hand-off runs any more. The host goes on. */
    @Override
    public CompletionStage<Void> close() {
        release();
        return released;
    }

    // ---- LoopThread -------------------------------------------------------------------------

    @Override
    public boolean inLoop() {
        return takenOver ? Thread.currentThread() == watcher.thread() : host.onHostThread().getAsBoolean();
    }

    @Override
    public void start(ThreadEvents threadEvents) {
        events = threadEvents;
        watcher.start();
        host.stopped().whenComplete((v, e) -> stopLink.hostStopped());
    }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) {
        WatchedChannel watched = new WatchedChannel(watcher, channel, interestOps, listener);
        watcher.changed(watched);
        return watched;
    }

    @Override
    public void armTimer(long deadlineNanos) {
        watcher.arm(deadlineNanos);
    }

    @Override
    public void disarmTimer() {
        watcher.disarm();
    }

    @Override
    public void wakeup() {
        if (!closed) {
            wakeupRequested.set(true);
            handoff.request();
        }
    }

    // ---- the hand-off, on the host thread -----------------------------------------------------

    private void readinessWaiting() {
        if (!closed) {
            handoff.request();
        }
    }

    @Override
    public void deliver() {
        if (closed) {
            return;
        }
        if (!host.onHostThread().getAsBoolean()) {
            notSerial();
            return;
        }
        inHostTurn = true;
        watcher.beginHostTurn();
        try {
            if (!closingRequested) {
                deliverWaiting();
            }
            if (closingRequested) {
                deliverClosing(); // the host stopped, maybe from inside one of the callbacks above
            }
        } finally {
            inHostTurn = false;
            watcher.endHostTurn();
        }
    }

    /** Readiness first, then the timer, then one wake-up: the order of every loop's turn. */
    private void deliverWaiting() {
        for (WatchedChannel c; (c = watcher.ready.poll()) != null; ) {
            batch.add(c); // only what waits now: what arrives meanwhile is the next hand-off's
        }
        try {
            for (int i = 0; i < batch.size() && !closed; i++) {
                batch.get(i).deliver();
            }
        } finally {
            batch.clear();
        }
        ThreadEvents ev = events;
        if (!closed && watcher.timerDue.getAndSet(false)) {
            ev.onTimer();
        }
        if (!closed && wakeupRequested.getAndSet(false)) {
            ev.onWakeup();
        }
    }

    @Override
    public void ended() {
        if (takeOverPending) {
            watcher.takeOver();
        }
        completeIfQuiet();
    }

    // ---- the host stops -----------------------------------------------------------------------

    /** The stop signal completed, on any thread. */
    private void hostStopped() {
        if (closed) {
            return;
        }
        closingRequested = true;
        if (!takenOver && host.onHostThread().getAsBoolean()) {
            if (!inHostTurn) {
                deliverClosing(); // on the host thread, outside any callback
            } // else the running hand-off delivers it once the callback that stopped the host returns
        } else {
            // A task of its own, not the hand-off: a hand-off the host accepted may never run now.
            try {
                host.executor().execute(this::closeOnHost);
            } catch (RuntimeException refusedNow) {
                refused(refusedNow);
            }
        }
    }

    /** The host still ran a task after its stop signal: the guest is told there. */
    private void closeOnHost() {
        if (!host.onHostThread().getAsBoolean()) {
            notSerial();
        } else if (!takenOver && !inHostTurn) {
            deliverClosing();
        }
    }

    @Override
    public void refused(RuntimeException why) {
        LOG.log(System.Logger.Level.INFO, () -> "host " + host.name() + " refused work (" + why + "); closing the guest");
        closingRequested = true;
        takeOverWhenIdle();
    }

    /** The watcher takes the host's place once no hand-off runs on the host any more. */
    private void takeOverWhenIdle() {
        takeOverPending = true;
        if (!handoff.running()) {
            watcher.takeOver();
        } // else ended() asks, after the run (which tells the guest itself, closingRequested being set)
    }

    private void notSerial() {
        Thread current = Thread.currentThread();
        IllegalStateException error = new IllegalStateException("the executor of SerialHost '" + host.name()
                + "' ran a guestloop hand-off on thread " + current.getName() + ", where its onHostThread test is false:"
                + " a SerialHost must run every task on one thread, one at a time, and its test must be true exactly there"
                + " (a thread pool is not a serial host; use a single-thread executor, or fix the test)");
        LOG.log(System.Logger.Level.ERROR, error.getMessage());
        misuse = error;
        handoff.stop();
        closingRequested = true;
        takeOverWhenIdle();
    }

    /** On the watcher thread: the host will run nothing of ours any more, so the guest's last callback runs here. */
    @Override
    public void takeOver() {
        takenOver = true;
        deliverClosing();
    }

    private void deliverClosing() {
        if (closingDelivered.compareAndSet(false, true) && !closed) {
            events.onHostLoopClosing();
        }
        release();
    }

    // ---- release ----------------------------------------------------------------------------

    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        stopLink.clear();
        handoff.stop();
        watcher.stop().whenComplete((v, e) -> completeIfQuiet());
    }

    private void completeIfQuiet() {
        if (closed && watcher.hasEnded() && !handoff.running() && !released.isDone()) {
            IllegalStateException error = misuse;
            if (error != null) {
                released.completeExceptionally(error);
            } else {
                released.complete(null);
            }
        }
    }

    /**
     * What the host's stop signal holds on to: a signal that lives long (the JavaFX toolkit's) keeps
     * a small link per context, not the closed context's selector and queues.
     */
    private static final class StopLink {
        private volatile ExecutorLoopOps ops;

        StopLink(ExecutorLoopOps ops) {
            this.ops = ops;
        }

        void hostStopped() {
            ExecutorLoopOps o = ops;
            if (o != null) {
                o.hostStopped();
            }
        }

        void clear() {
            ops = null;
        }
    }

    @Override
    public String toString() {
        return "ExecutorLoopOps[" + host.name() + ", watcher " + watcher.thread().getName() + (closed ? ", closed]" : "]");
    }
}
