package io.guestloop.nio;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One {@link Selector} and the thread that turns it: a service thread of the {@code nio} backend.
 *
 * <p>A turn selects (blocking with no timeout when idle, until the timer's deadline when armed, not
 * at all when work is pending), then delivers readiness, then the timer, then one coalesced
 * {@code onWakeup}. Ready keys are collected by {@link Selector#select(Consumer)} into an array reused
 * across turns and dispatched after select returns: no iterator or other allocation per event, and no
 * callback runs inside a selection, so a callback may register a channel (even one it just cancelled).
 *
 * <p><b>Threading:</b> {@link #wakeup()} and {@link #inLoop()} from any thread; every other method
 * on the loop thread (the guest core checks). Callbacks run only on the loop thread, one at a time.
 */
final class SelectorLoop implements LoopThread {

    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());

    /** Used to flush cancelled keys: readiness it drops is reported again (selection is level-triggered). */
    private static final Consumer<SelectionKey> DROP = key -> { };

    /** Consecutive untimed selects that return with nothing to do before we suspect the epoll spin bug. */
    private static final int SPIN_SUSPICION = 512;

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int STOPPED = 2;

    private final Selector selector;
    private final String plannedName;
    private final Thread ownThread;
    private final Runnable onStopped;
    private final Consumer<SelectionKey> collector = this::collect;

    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile boolean closeRequested;
    /** True while the loop thread is in (or about to enter) a blocking select: only then does {@link #wakeup()} wake the selector. */
    private volatile boolean sleeping;
    private volatile Thread thread;
    private volatile ThreadEvents events;

    // Loop-thread state.
    private SelectionKey[] ready = new SelectionKey[64];
    private int readyCount;
    private boolean timerArmed;
    private long timerDeadline;
    private int emptyUntimedSelects;
    private boolean interruptCleared;

    /**
     * @param name      the loop thread's name when it owns one; the planned name otherwise
     * @param ownThread true to start a daemon thread of its own at {@link #start}; false to run on
     *                  the caller of {@link #runLoop()}
     * @param onStopped called once, when the selector is closed and no callback will run any more
     */
    SelectorLoop(String name, boolean ownThread, Runnable onStopped) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector for " + name, e);
        }
        this.plannedName = name;
        this.onStopped = onStopped;
        if (ownThread) {
            Thread t = new Thread(this::runLoop, name);
            t.setDaemon(true);
            this.ownThread = t;
            this.thread = t;
        } else {
            this.ownThread = null;
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** The loop thread's name, for this loop's own messages. */
    String threadName() {
        Thread t = thread;
        return t != null ? t.getName() : plannedName + " (the caller of LoopOps.run(), not running yet)";
    }

    /** The thread this loop owns, or {@code null} when it runs on the caller of {@link #runLoop()}. */
    Thread ownThread() {
        return ownThread;
    }

    @Override
    public void start(ThreadEvents events) {
        Objects.requireNonNull(events, "events");
        synchronized (this) {
            if (this.events != null) {
                throw new IllegalStateException("loop thread " + threadName() + " was already started");
            }
            this.events = events;
        }
        if (ownThread != null && state.get() == IDLE) {
            ownThread.start();
        }
    }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
        if (channel.keyFor(selector) != null) {
            // A key cancelled earlier stays on the channel until the next select; registering again before
            // that fails with CancelledKeyException. No select is in progress here: readiness is
            // dispatched after select returns, so flushing now is safe.
            selector.selectNow(DROP);
        }
        return new NioRegistration(channel.register(selector, interestOps), listener);
    }

    @Override
    public void armTimer(long deadlineNanos) {
        timerArmed = true;
        timerDeadline = deadlineNanos;
    }

    @Override
    public void disarmTimer() {
        timerArmed = false;
    }

    @Override
    public void wakeup() {
        // After close nothing would be delivered, and some selectors dislike wakeup() once closed.
        // Only a loop asleep in select needs Selector.wakeup() (a system call): an awake one re-checks
        // the flag before it selects. The flag is set before sleeping is read, and select() sets
        // sleeping before it reads the flag, so one of the two sees the other's write.
        if (!closeRequested && !wakeupPending.get() && wakeupPending.compareAndSet(false, true) && sleeping) {
            selector.wakeup();
        }
    }

    /**
     * Runs the loop on the calling thread until {@link #requestClose()}; returns at once when the
     * loop was already closed.
     *
     * @throws IllegalStateException when not started, or already running on another thread
     */
    void runLoop() {
        if (events == null) {
            throw new IllegalStateException("start(ThreadEvents) must be called before the loop of " + threadName() + " runs");
        }
        if (!state.compareAndSet(IDLE, RUNNING)) {
            if (state.get() == RUNNING) {
                throw new IllegalStateException("the loop is already running on " + threadName());
            }
            return;
        }
        thread = Thread.currentThread();
        ThreadEvents ev = events;
        try {
            while (!closeRequested) {
                turn(ev);
            }
        } catch (ClosedSelectorException e) {
            LOG.log(System.Logger.Level.ERROR, "the Selector of " + threadName() + " was closed under the loop; stopping it", e);
        } finally {
            release();
            if (interruptCleared && ownThread == null) {
                Thread.currentThread().interrupt(); // the caller of run() gets its interrupt back
            }
        }
    }

    /**
     * Stops the loop: at once when it never ran, else after the current callback returns. Any thread.
     */
    void requestClose() {
        closeRequested = true;
        if (state.compareAndSet(IDLE, STOPPED)) {
            releaseResources();
            onStopped.run();
        } else {
            selector.wakeup();
        }
    }

    private void turn(ThreadEvents ev) {
        select(selectTimeoutMillis());
        dispatchReady();
        if (closeRequested) {
            return;
        }
        if (timerArmed && System.nanoTime() - timerDeadline >= 0) {
            timerArmed = false; // before the call, so that onTimer may arm again
            ev.onTimer();
        }
        if (closeRequested) {
            return;
        }
        if (wakeupPending.get()) {
            // Cleared before the call: a wakeup() made during onWakeup sets it again and makes another.
            wakeupPending.set(false);
            ev.onWakeup();
        }
    }

    /** -1: no timer, block; 0: due, do not block; else whole milliseconds, rounded up so never early. */
    private long selectTimeoutMillis() {
        if (!timerArmed) {
            return -1;
        }
        long remaining = timerDeadline - System.nanoTime();
        if (remaining <= 0) {
            return 0;
        }
        return remaining / 1_000_000 + (remaining % 1_000_000 == 0 ? 0 : 1);
    }

    private void select(long timeoutMillis) {
        try {
            if (timeoutMillis == 0 || wakeupPending.get() || closeRequested) {
                selector.selectNow(collector);
                return;
            }
            sleeping = true;
            try {
                if (wakeupPending.get() || closeRequested) {
                    selector.selectNow(collector); // a wakeup() came between the two checks
                } else if (timeoutMillis > 0) {
                    if (selector.select(collector, timeoutMillis) == 0) {
                        clearInterrupt();
                    }
                } else if (selector.select(collector) == 0) {
                    clearInterrupt();
                    noteEmptyUntimedSelect();
                } else {
                    emptyUntimedSelects = 0;
                }
            } finally {
                sleeping = false;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "select failed on " + threadName() + "; the loop goes on", e);
        }
    }

    /** An interrupted thread's select returns at once forever: clear it rather than spin. */
    private void clearInterrupt() {
        if (Thread.interrupted()) {
            interruptCleared = true;
            LOG.log(System.Logger.Level.DEBUG, "cleared an interrupt of loop thread {0}; close the LoopOps to stop it", threadName());
        }
    }

    /**
     * Counts blocking selects that returned with no reason; many in a row is the JDK epoll spin bug
     * (long fixed, but cheap to notice). We only report it: rebuilding the selector is not worth its
     * weight on the JDKs we support.
     */
    private void noteEmptyUntimedSelect() {
        if (wakeupPending.get() || closeRequested) {
            emptyUntimedSelects = 0;
        } else if (++emptyUntimedSelects == SPIN_SUSPICION) {
            LOG.log(System.Logger.Level.WARNING, "the Selector of " + threadName() + " returned " + SPIN_SUSPICION
                    + " times in a row with nothing ready and no wakeup (JDK selector spin?); running on "
                    + System.getProperty("java.vm.name") + " " + Runtime.version());
        }
    }

    private void collect(SelectionKey key) {
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, readyCount * 2);
        }
        ready[readyCount++] = key;
    }

    private void dispatchReady() {
        SelectionKey[] keys = ready;
        int count = readyCount;
        for (int i = 0; i < count; i++) {
            SelectionKey key = keys[i];
            keys[i] = null;
            // Cancelled by an earlier callback of this turn (or the channel was closed): skip it.
            if (closeRequested || !key.isValid()) {
                continue;
            }
            ((NioRegistration) key.attachment()).listener.onReady(key.readyOps());
        }
        readyCount = 0;
    }

    private void release() {
        releaseResources();
        state.set(STOPPED);
        onStopped.run();
    }

    private void releaseResources() {
        timerArmed = false;
        Arrays.fill(ready, null);
        try {
            for (SelectionKey key : selector.keys()) {
                key.cancel();
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the Selector of " + threadName() + " failed", e);
        }
    }
}
