package io.guestloop.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The watcher thread of one context: it waits in a {@link Selector} for the guest's channels and
 * its timer, and never runs guest code. What it finds it queues for the host thread and asks for a
 * {@linkplain HostHandoff hand-off}; a channel whose readiness waits there watches nothing until it
 * was delivered, so the watcher blocks again instead of spinning on it.
 *
 * <p>When the host has stopped, the owner may run the guest's last callback on this thread (see
 * {@link #takeOver()}); that is the only code of the guest that ever runs here.
 *
 * <p><b>Threading:</b> {@link #changed}, {@link #arm}, {@link #disarm}, {@link #takeOver()},
 * {@link #stop()} and the queues from any thread (in practice the loop thread); the selector, the
 * keys and {@link #run()} on the watcher thread only.
 */
final class Watcher {

    private static final System.Logger LOG = System.getLogger(Watcher.class.getName());

    /** A timer deadline as the host thread set it; a new value for every arming. */
    private record Arming(long deadlineNanos) {
    }

    /** What the watcher does on its own thread when the owner asks it to take the host's place. */
    interface Successor {
        void takeOver();
    }

    private final Selector selector;
    private final Thread thread;
    private final Runnable readinessWaiting;
    private final Successor successor;
    private final Consumer<SelectionKey> collector = this::collect;
    private final Queue<WatchedChannel> changes = new ConcurrentLinkedQueue<>();
    /** Channels whose readiness waits for the host thread, each once. */
    final Queue<WatchedChannel> ready = new ConcurrentLinkedQueue<>();
    /** The timer expired and the host thread has not delivered it yet. */
    final AtomicBoolean timerDue = new AtomicBoolean();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private volatile Arming arming;
    private volatile boolean stopRequested;
    private volatile boolean takeOverRequested;
    private boolean started;

    // Watcher thread only.
    private Arming fired;
    private boolean found;

    // Loop thread only: changes made during a hand-off wake the selector once, when it ends.
    private boolean inHostTurn;
    private boolean wakeAfterTurn;

    /**
     * @param threadName       the watcher thread's name
     * @param readinessWaiting called on the watcher thread when something waits for the host thread
     * @param successor        called on the watcher thread after {@link #takeOver()}
     */
    Watcher(String threadName, Runnable readinessWaiting, Successor successor) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector for " + threadName, e);
        }
        this.readinessWaiting = readinessWaiting;
        this.successor = successor;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    Thread thread() {
        return thread;
    }

    /** Starts the watcher thread, unless it was stopped first. */
    synchronized void start() {
        if (!started && !stopRequested) {
            started = true;
            thread.start();
        }
    }

    /** Ends the watcher; the stage completes once its selector is closed. */
    CompletionStage<Void> stop() {
        stopRequested = true;
        synchronized (this) {
            if (!started) {
                started = true; // never starts now
                closeSelector();
                ended.complete(null);
                return ended;
            }
        }
        wake();
        return ended;
    }

    /** True once the watcher thread has closed its selector. */
    boolean hasEnded() {
        return ended.isDone();
    }

    /** Makes the watcher run {@link Successor#takeOver()} on its thread. */
    void takeOver() {
        takeOverRequested = true;
        wake();
    }

    // ---- what the loop thread asks ------------------------------------------------------------

    /** {@code channel} was registered, changed or cancelled, or its readiness was delivered. */
    void changed(WatchedChannel channel) {
        if (channel.queued.compareAndSet(false, true)) {
            changes.add(channel);
        }
        wakeForChange();
    }

    void arm(long deadlineNanos) {
        arming = new Arming(deadlineNanos);
        wakeForChange();
    }

    /** No wake-up: a timer that fires for a disarmed deadline is ignored by the core. */
    void disarm() {
        arming = null;
    }

    /** A hand-off begins on the host thread. */
    void beginHostTurn() {
        inHostTurn = true;
    }

    /** The hand-off ended: the selector learns of its changes now, once. */
    void endHostTurn() {
        inHostTurn = false;
        if (wakeAfterTurn) {
            wakeAfterTurn = false;
            wake();
        }
    }

    private void wakeForChange() {
        if (Thread.currentThread() == thread) {
            return; // the watcher applies changes before it selects again
        }
        if (inHostTurn) {
            wakeAfterTurn = true;
        } else {
            wake();
        }
    }

    private void wake() {
        if (!ended.isDone()) {
            selector.wakeup(); // a no-op on a selector closed meanwhile
        }
    }

    // ---- the watcher thread -----------------------------------------------------------------

    private void run() {
        try {
            while (!stopRequested) {
                if (takeOverRequested) {
                    takeOverRequested = false;
                    successor.takeOver();
                    continue;
                }
                applyChanges();
                select(timeoutMillis());
                checkTimer();
                if (found) {
                    found = false;
                    readinessWaiting.run();
                }
            }
        } catch (ClosedSelectorException e) {
            LOG.log(System.Logger.Level.ERROR, "the Selector of " + thread.getName() + " was closed under it; the watcher stops", e);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "the watcher " + thread.getName() + " failed; the guest's channels are not watched any more", e);
            throw e;
        } finally {
            closeSelector();
            ended.complete(null);
        }
    }

    private void applyChanges() {
        for (WatchedChannel c; (c = changes.poll()) != null; ) {
            c.queued.set(false); // before reading it: a change made from now on queues it again
            apply(c);
        }
    }

    private void apply(WatchedChannel c) {
        try {
            if (c.cancelled) {
                if (c.key != null) {
                    c.key.cancel();
                }
                return;
            }
            int ops = c.pending ? 0 : c.interest;
            if (c.key != null) {
                c.key.interestOps(ops);
                return;
            }
            if (!c.channel.isOpen()) {
                return; // closed before the watcher got to it: nothing to watch
            }
            if (c.channel.keyFor(selector) != null) {
                // A key cancelled earlier stays on the channel until the next selection; flush it.
                selector.selectNow(collector);
            }
            c.key = c.channel.register(selector, ops, c);
        } catch (CancelledKeyException | ClosedChannelException closed) {
            // the guest closed the channel: the selector has let go of it already
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the watcher " + thread.getName() + " cannot watch " + c.channel, e);
        }
    }

    /** -1: no timer, block; 0: due; else whole milliseconds, rounded up so never early. */
    private long timeoutMillis() {
        Arming a = arming;
        if (a == null || a == fired) {
            return -1;
        }
        long remaining = a.deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return 0;
        }
        return remaining / 1_000_000 + (remaining % 1_000_000 == 0 ? 0 : 1);
    }

    private void select(long timeoutMillis) {
        try {
            if (timeoutMillis == 0 || stopRequested || takeOverRequested) {
                selector.selectNow(collector);
            } else if (timeoutMillis > 0) {
                selector.select(collector, timeoutMillis);
            } else {
                selector.select(collector);
            }
            if (Thread.interrupted()) {
                LOG.log(System.Logger.Level.DEBUG, "cleared an interrupt of the watcher {0}; close the context to stop it", thread.getName());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "select failed on the watcher " + thread.getName() + "; it goes on", e);
        }
    }

    private void collect(SelectionKey key) {
        WatchedChannel c = (WatchedChannel) key.attachment();
        try {
            key.interestOps(0); // watched again once the host thread has delivered this
            c.readyOps |= key.readyOps();
        } catch (CancelledKeyException closed) {
            return;
        }
        if (!c.pending) {
            c.pending = true;
            ready.add(c);
        }
        found = true;
    }

    private void checkTimer() {
        Arming a = arming;
        if (a != null && a != fired && System.nanoTime() - a.deadlineNanos >= 0) {
            fired = a;
            timerDue.set(true);
            found = true;
        }
    }

    private void closeSelector() {
        try {
            for (SelectionKey key : selector.keys()) {
                key.cancel();
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the Selector of " + thread.getName() + " failed", e);
        }
    }
}
