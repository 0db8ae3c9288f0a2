package io.guestloop.executor;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one task that carries readiness, timer expiry and wake-ups of a context to the host thread.
 * At most one is ever pending on the host's executor: whatever arrives while it waits rides along,
 * and whatever arrives while it runs asks for exactly one more, submitted when this one ends (so the
 * host's own work gets its turn in between). When the executor refuses the task, the host has
 * stopped: nothing is submitted any more and the owner is told.
 *
 * <p><b>Threading:</b> {@link #request()} and {@link #stop()} from any thread; {@link #run()} on
 * the host thread, by the executor.
 */
final class HostHandoff implements Runnable {

    private static final int IDLE = 0;      // nothing pending: the next request submits
    private static final int SCHEDULED = 1; // submitted, not started: requests ride along
    private static final int RUNNING = 2;   // delivering: a request asks for one more
    private static final int AGAIN = 3;     // delivering, and one more was asked for
    private static final int GONE = 4;      // stopped or refused: nothing is submitted any more

    /** What a hand-off does on the host thread, and what happens when the host refuses one. */
    interface Turn {
        /** Delivers everything waiting, on the host thread. */
        void deliver();

        /** A run of this hand-off has ended (delivered or not). */
        void ended();

        /** The executor refused the hand-off: the host has stopped. Any thread. */
        void refused(RuntimeException why);
    }

    private final Executor executor;
    private final Turn turn;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final AtomicBoolean inRun = new AtomicBoolean();

    HostHandoff(Executor executor, Turn turn) {
        this.executor = executor;
        this.turn = turn;
    }

    /** Makes sure a hand-off will run after this call: submits one, or lets the pending one carry it. */
    void request() {
        for (;;) {
            int s = state.get();
            if (s == SCHEDULED || s == AGAIN || s == GONE) {
                return;
            }
            if (s == IDLE && state.compareAndSet(IDLE, SCHEDULED)) {
                submit();
                return;
            }
            if (s == RUNNING && state.compareAndSet(RUNNING, AGAIN)) {
                return;
            }
        }
    }

    /** No hand-off is submitted from now on; one that is pending does nothing when it runs. */
    void stop() {
        state.set(GONE);
    }

    /** True while a run is delivering on the host thread (or about to find it has nothing to do). */
    boolean running() {
        return inRun.get();
    }

    @Override
    public void run() {
        inRun.set(true); // before the state check, so that stop() followed by running() never misses a run
        try {
            if (state.compareAndSet(SCHEDULED, RUNNING)) {
                try {
                    turn.deliver();
                } finally {
                    settle();
                }
            }
        } finally {
            inRun.set(false);
            turn.ended();
        }
    }

    private void settle() {
        for (;;) {
            int s = state.get();
            if (s == GONE || (s == RUNNING && state.compareAndSet(RUNNING, IDLE))) {
                return;
            }
            if (s == AGAIN && state.compareAndSet(AGAIN, SCHEDULED)) {
                submit();
                return;
            }
        }
    }

    private void submit() {
        try {
            executor.execute(this);
        } catch (RuntimeException e) {
            state.set(GONE);
            turn.refused(e);
        }
    }
}
