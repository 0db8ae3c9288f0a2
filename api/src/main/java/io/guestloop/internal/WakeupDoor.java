package io.guestloop.internal;

import io.guestloop.spi.LoopThread;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way into a service thread from other threads: cancel-service requests and the core's own
 * hand-over tasks, turned into as few backend wake-ups as possible and never lost.
 *
 * <p>Two bits say what is pending. A caller sets its bit and wakes the backend only when it turns
 * the word from zero: a set bit means a wake-up is already on its way. The loop takes the word with
 * one {@code getAndSet(0)} before acting on it, so a request made while it acts turns the word from
 * zero again and brings another wake-up.
 *
 * <p><b>Threading:</b> {@link #requestCancel()} and {@link #post} from any thread, never blocking;
 * {@link #take()} and {@link #runTasks} on the loop thread.
 */
final class WakeupDoor {

    static final int CANCEL = 1;
    static final int TASKS = 2;
    /** Hand-over tasks run per wake-up before the loop gets a turn for other work. */
    private static final int MAX_TASKS_PER_WAKEUP = 1024;

    private final LoopThread loop;
    private final AtomicInteger pending = new AtomicInteger();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    WakeupDoor(LoopThread loop) {
        this.loop = loop;
    }

    /** The thread's half of {@code cancelService()}. */
    void requestCancel() {
        if ((pending.get() & CANCEL) != 0) {
            return; // already pending: the coming take() reads it after this call
        }
        signal(CANCEL);
    }

    /** Runs {@code task} on the loop thread soon (core hand-overs only). */
    void post(Runnable task) {
        tasks.add(task);
        signal(TASKS);
    }

    /** What is pending, as {@link #CANCEL}/{@link #TASKS} bits, clearing it. */
    int take() {
        return pending.getAndSet(0);
    }

    /** Runs the posted tasks, at most a batch of them; what is left waits for another wake-up. */
    void runTasks(CoreServiceThread thread) {
        Runnable task;
        for (int i = 0; i < MAX_TASKS_PER_WAKEUP; i++) {
            if ((task = tasks.poll()) == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                thread.reportError(null, t);
            }
        }
        if (!tasks.isEmpty()) {
            signal(TASKS);
        }
    }

    private void signal(int bit) {
        int prev;
        do {
            prev = pending.get();
            if ((prev & bit) != 0) {
                return;
            }
        } while (!pending.compareAndSet(prev, prev | bit));
        if (prev == 0) {
            loop.wakeup();
        }
    }
}
