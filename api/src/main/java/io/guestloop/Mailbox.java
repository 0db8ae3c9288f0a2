package io.guestloop;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The cross-thread pattern in one object: any thread {@linkplain #post posts} a message, which
 * queues it and calls {@link ServiceThread#cancelService()} of the owning thread (and of no other
 * thread); the owning service thread drains the
 * queue in {@link ConnectionHandler#onEventWaitCancelled} and hands each message to the receiver, in
 * the order posted by each thread. Built only on {@code cancelService()}. At most 1,024 messages are
 * received per dispatch; the rest follow in the next one, so a sender that never stops cannot keep
 * the loop from its sockets and timers.
 *
 * <p><b>Threading:</b> {@link #post} may be called from any thread; {@link #open} and
 * {@link #close()} on the owning service thread; the receiver runs on it.
 *
 * @param <T> the message type
 */
public final class Mailbox<T> {

    /** Messages received per dispatch before the loop gets a turn for its other work. */
    static final int MAX_PER_DISPATCH = 1024;

    private final ServiceThread thread;
    private final Consumer<? super T> receiver;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final ConnectionHandler drainer = new ConnectionHandler() {
        @Override
        public void onEventWaitCancelled(ServiceThread t) {
            drain();
        }
    };
    private volatile boolean closed;

    private Mailbox(ServiceThread thread, Consumer<? super T> receiver) {
        this.thread = thread;
        this.receiver = receiver;
    }

    /**
     * Opens a mailbox whose messages are received on {@code thread}. Call on that thread.
     */
    public static <T> Mailbox<T> open(ServiceThread thread, Consumer<? super T> receiver) {
        Mailbox<T> box = new Mailbox<>(Objects.requireNonNull(thread, "thread"), Objects.requireNonNull(receiver, "receiver"));
        thread.bind(box.drainer);
        return box;
    }

    /**
     * Queues {@code message} for the receiver and wakes the service thread. Any thread; never
     * blocks.
     *
     * @return false when the mailbox is closed (the message is not queued)
     */
    public boolean post(T message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            return false;
        }
        queue.add(message);
        thread.cancelService();
        return true;
    }

    /** Stops receiving; messages still queued are dropped. Call on the owning thread. */
    public void close() {
        if (!closed) {
            closed = true;
            thread.unbind(drainer);
            queue.clear();
        }
    }

    private void drain() {
        T message;
        for (int i = 0; i < MAX_PER_DISPATCH; i++) {
            if (closed || (message = queue.poll()) == null) {
                return;
            }
            receiver.accept(message);
        }
        if (!queue.isEmpty()) {
            // Senders that never stop must not hold the loop: the rest waits for the next dispatch,
            // after the loop has served its sockets and timers.
            thread.cancelService();
        }
    }
}
