package io.guestloop.internal;

import io.guestloop.spi.LoopThread;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The one way into a service thread from other threads: cancel-service requests and the core's own
 * hand-over tasks, turned into as few backend wake-ups as possible and never lost.
 *
 * <p>Two bits say what is pending. A caller sets its bit and wakes the backend only when it turns
 * the word from zero: a set bit means a wake-up is already on its way. The loop takes the word with
 * one {@code getAndSet(0)} before acting on it, so a request made while it acts turns the word from
 * zero again and brings another wake-up. A call that finds its bit set costs one volatile read: the
 * word is a field of the door itself, with no object to reach it through.
 *
 * <p><b>Threading:</b> {@link #requestCancel()} and {@link #post} from any thread, never blocking;
 * {@link #take()} and {@link #runTasks} on the loop thread.
 */
final class WakeupDoor extends WakeupDoorLayout.PadAfter {

    static final int CANCEL = 1;
    static final int TASKS = 2;
    /** Hand-over tasks run per wake-up before the loop gets a turn for other work. */
    private static final int MAX_TASKS_PER_WAKEUP = 1024;

    private final LoopThread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    WakeupDoor(LoopThread loop) {
        this.loop = loop;
    }

    /**
     * True when a cancel-service request is already on its way: the coming {@link #take()} reads it
     * after this call, so the caller has nothing to do. One volatile read.
     */
    boolean cancelPending() {
        return (pending & CANCEL) != 0;
    }

    /** The thread's half of {@code cancelService()}, once {@link #cancelPending()} said no. */
    void requestCancel() {
        signal(CANCEL);
    }

    /** Runs {@code task} on the loop thread soon (core hand-overs only). */
    void post(Runnable task) {
        tasks.add(task);
        signal(TASKS);
    }

    /** What is pending, as {@link #CANCEL}/{@link #TASKS} bits, clearing it. */
    int take() {
        return (int) PENDING.getAndSet(this, 0);
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
            prev = pending;
            if ((prev & bit) != 0) {
                return;
            }
        } while (!PENDING.compareAndSet(this, prev, prev | bit));
        if (prev == 0) {
            loop.wakeup();
        }
    }
}
