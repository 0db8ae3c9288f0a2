package io.guestloop.executor;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One channel of the guest as the {@link Watcher} and the host thread share it. The host thread
 * says what it wants ({@link #interestOps(int)}, {@link #cancel()}); the watcher alone touches the
 * {@link SelectionKey}, when it next takes the channel from its queue of changes.
 *
 * <p>While readiness the watcher saw waits for the host thread ({@link #pending}), the key watches
 * nothing, so a channel that stays readable does not make the watcher spin; once the host has
 * delivered it, the channel is queued again and its interest set comes back: readiness stays
 * level-triggered, reported again on the next hand-off while the channel is still ready.
 *
 * <p><b>Threading:</b> {@link #interestOps(int)} and {@link #cancel()} on the loop thread (the core
 * checks); the fields marked so are handed between the watcher and the host thread through the
 * watcher's queues, which order them.
 */
final class WatchedChannel implements Registration {

    final SelectableChannel channel;
    final ReadyListener listener;
    private final Watcher watcher;

    /** What the host thread asks for; read by the watcher. */
    volatile int interest;
    volatile boolean cancelled;
    /** Readiness waits for the host thread: the key watches nothing until it is delivered. */
    volatile boolean pending;
    /** What the watcher saw, for the host thread to deliver; written only while not pending. */
    volatile int readyOps;
    /** True while the channel sits in the watcher's queue of changes: it is queued once. */
    final AtomicBoolean queued = new AtomicBoolean();
    /** Watcher only. */
    SelectionKey key;

    WatchedChannel(Watcher watcher, SelectableChannel channel, int interest, ReadyListener listener) {
        this.watcher = watcher;
        this.channel = channel;
        this.interest = interest;
        this.listener = listener;
    }

    @Override
    public void interestOps(int ops) {
        interest = ops;
        watcher.changed(this);
    }

    @Override
    public void cancel() {
        cancelled = true;
        watcher.changed(this);
    }

    /** On the host thread, in a hand-off: tells the listener what the watcher saw, then lets the channel be watched again. */
    void deliver() {
        int ops = readyOps;
        readyOps = 0;
        try {
            if (!cancelled) {
                listener.onReady(ops);
            }
        } finally {
            pending = false;
            watcher.changed(this);
        }
    }

    @Override
    public String toString() {
        return "WatchedChannel[" + channel + ", interest 0x" + Integer.toHexString(interest) + (cancelled ? ", cancelled]" : "]");
    }
}
