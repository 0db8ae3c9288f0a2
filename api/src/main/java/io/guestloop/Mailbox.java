package io.guestloop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p><b>Bounded or not.</b> A mailbox {@linkplain #open(ServiceThread, int, Consumer) opened with a
 * capacity} holds at most that many messages: {@link #post} refuses the rest (returns false, queues
 * nothing), so whatever a peer makes its senders post, the mailbox's memory stays bounded. A
 * refused sender keeps its message, stops producing (pauses its socket, say), and asks
 * {@link #whenRoom} to be told once the receiver has drained the mailbox to half its capacity; it
 * then posts again. A mailbox {@linkplain #open(ServiceThread, Consumer) opened without a capacity}
 * never refuses: use it only for messages whose number is bounded by construction (one per
 * connection, one per shutdown), never for what a peer sends.
 *
 * <pre>{@code
 * Mailbox<String> lines = Mailbox.open(thread, 256, line -> broadcast(line));   // on `thread`
 * ...
 * if (!lines.post(line)) {                      // any thread: full, nothing was queued
 *     socket.pause();                           // stop taking input; keep `line`
 *     lines.whenRoom(() -> ...);                // runs on `thread`: post `line` again, resume
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> {@link #post}, {@link #whenRoom}, {@link #isFull}, {@link #size} and
 * {@link #capacity} may be called from any thread and never block; {@link #open} and
 * {@link #close()} on the owning service thread; the receiver and the {@code whenRoom} tasks run on
 * it.
 *
 * @param <T> the message type
 */
public final class Mailbox<T> {

    /** Messages received per dispatch before the loop gets a turn for its other work. */
    static final int MAX_PER_DISPATCH = 1024;

    private final ServiceThread thread;
    private final Consumer<? super T> receiver;
    private final int capacity;
    /** {@link #whenRoom} tasks run once a dispatch leaves at most this many messages. */
    private final int roomMark;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    /** Messages posted and not yet received; never more than {@link #capacity}. */
    private final AtomicInteger size = new AtomicInteger();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final ConnectionHandler drainer = new ConnectionHandler() {
        @Override
        public void onEventWaitCancelled(ServiceThread t) {
            drain();
        }
    };
    private volatile boolean closed;

    private Mailbox(ServiceThread thread, int capacity, Consumer<? super T> receiver) {
        this.thread = thread;
        this.capacity = capacity;
        this.roomMark = capacity / 2;
        this.receiver = receiver;
    }

    /**
     * Opens a mailbox without a capacity whose messages are received on {@code thread}: {@link #post}
     * never refuses while it is open. Only for messages bounded in number by construction. Call on
     * that thread.
     */
    public static <T> Mailbox<T> open(ServiceThread thread, Consumer<? super T> receiver) {
        return open(thread, Integer.MAX_VALUE, receiver);
    }

    /**
     * Opens a mailbox that holds at most {@code capacity} messages, received on {@code thread}. Call
     * on that thread.
     *
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public static <T> Mailbox<T> open(ServiceThread thread, int capacity, Consumer<? super T> receiver) {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(receiver, "receiver");
        if (capacity < 1) {
            throw new IllegalArgumentException("a mailbox holds at least 1 message, capacity was " + capacity);
        }
        Mailbox<T> box = new Mailbox<>(thread, capacity, receiver);
        thread.bind(box.drainer);
        return box;
    }

    /**
     * Queues {@code message} for the receiver and wakes the service thread, unless the mailbox is
     * full or closed. Any thread; never blocks.
     *
     * @return true when queued; false when the mailbox is full (it holds {@link #capacity()}
     *         messages: keep the message and see {@link #whenRoom}) or closed; nothing is queued then
     */
    public boolean post(T message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            return false;
        }
        int n;
        do {
            n = size.get();
            if (n >= capacity) {
                return false;
            }
        } while (!size.compareAndSet(n, n + 1));
        queue.add(message);
        thread.cancelService();
        return true;
    }

    /**
     * Runs {@code task} once, on the owning service thread, as soon as a dispatch leaves at most half
     * the capacity queued: at the next dispatch when that is already so. For a sender that
     * {@link #post} refused: it keeps its message and posts it again from {@code task} (which runs on
     * this mailbox's thread, not necessarily the sender's; a sender on another thread hops back
     * through a mailbox of its own thread). Tasks are kept until they run, so register one per
     * refusal, not one per attempt. Any thread; never blocks. Tasks still waiting when the mailbox
     * closes never run.
     *
     * @return false when the mailbox is closed: {@code task} will never run
     */
    public boolean whenRoom(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            return false;
        }
        waiters.add(task);
        // Always wake: the dispatch that follows sees the task, whatever drained in between.
        thread.cancelService();
        return true;
    }

    /** True when {@link #post} would refuse for lack of room now. Any thread. */
    public boolean isFull() {
        return size.get() >= capacity;
    }

    /** Messages posted and not yet received. Any thread. */
    public int size() {
        return size.get();
    }

    /** The most messages this mailbox holds; {@link Integer#MAX_VALUE} when opened without a capacity. Any thread. */
    public int capacity() {
        return capacity;
    }

    /** Stops receiving; messages still queued and {@link #whenRoom} tasks are dropped. Call on the owning thread. */
    public void close() {
        if (!closed) {
            closed = true;
            thread.unbind(drainer);
            queue.clear();
            waiters.clear();
            size.set(0);
        }
    }

    private void drain() {
        try {
            T message;
            for (int i = 0; i < MAX_PER_DISPATCH && !closed && (message = queue.poll()) != null; i++) {
                size.decrementAndGet();
                receiver.accept(message);
            }
            if (!closed && !waiters.isEmpty() && size.get() <= roomMark) {
                tellWaiters();
            }
        } finally {
            if (!closed && !queue.isEmpty()) {
                // Senders that never stop must not hold the loop: the rest waits for the next
                // dispatch, after the loop has served its sockets and timers. A receiver that threw
                // leaves the rest for that dispatch too.
                thread.cancelService();
            }
        }
    }

    /** Runs the tasks registered so far (not those they register in turn); one that throws does not stop the others. */
    private void tellWaiters() {
        List<Runnable> due = new ArrayList<>();
        Runnable task;
        while ((task = waiters.poll()) != null) {
            due.add(task);
        }
        RuntimeException first = null;
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
