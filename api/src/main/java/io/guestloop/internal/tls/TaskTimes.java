package io.guestloop.internal.tls;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How long one service thread's delegated tasks took lately, per engine kind (its class), and so
 * where the next ones run. A kind's tasks run inline on the loop thread only after its last
 * {@value #DEFAULT_SHORT_RUNS} runs in a row each took at most the budget (150 µs): OpenSSL's
 * key-material and certificate callbacks take microseconds, and a hop to another thread and back
 * costs more than they do. One run over the budget (inline or not) sends the kind's next runs off
 * the loop again until it has proven short once more, so a task that turned out long is never run
 * inline the next time, and the JDK engine's signatures (milliseconds) stay off the loop. A kind
 * starts off the loop: nothing runs inline before it was measured.
 *
 * <p>The table holds one entry per engine class seen, so it is bounded by the classes loaded. An
 * inline run over the budget is logged (INFO the first time per kind and thread, DEBUG after), so
 * an operator sees which engine held the loop and for how long.
 *
 * <p><b>Threading:</b> not thread-safe; the service thread that owns it only (off-loop runs
 * report here on that thread).
 */
final class TaskTimes {

    private static final System.Logger LOG = System.getLogger(TaskTimes.class.getName());

    static final long DEFAULT_BUDGET_NANOS = 150_000;
    static final int DEFAULT_SHORT_RUNS = 8;

    private final LongSupplier clock;
    private final long budgetNanos;
    private final int shortRunsBeforeInline;
    private final Map<Class<?>, Kind> kinds = new HashMap<>(4);

    /** One engine kind's short runs in a row; inline once they reach the required count. */
    private static final class Kind {
        int shortRuns;
        /** A long inline run was logged at INFO once; later ones go to DEBUG. */
        boolean told;
    }

    TaskTimes() {
        this(System::nanoTime, DEFAULT_BUDGET_NANOS, DEFAULT_SHORT_RUNS);
    }

    /** The seam for tests: the clock, the budget of one run, and how many short runs allow inline. */
    TaskTimes(LongSupplier clock, long budgetNanos, int shortRunsBeforeInline) {
        this.clock = clock;
        this.budgetNanos = budgetNanos;
        this.shortRunsBeforeInline = shortRunsBeforeInline;
    }

    /** Now, on this table's clock, in nanoseconds (any thread). */
    long now() {
        return clock.getAsLong();
    }

    /** True when the next tasks of {@code kind} may run inline on the loop thread. */
    boolean inline(Class<?> kind) {
        Kind k = kinds.get(kind);
        return k != null && k.shortRuns >= shortRunsBeforeInline;
    }

    /** Records one run of {@code kind}'s tasks that took {@code nanos}, inline or not. */
    void ran(Class<?> kind, long nanos, boolean wasInline) {
        Kind k = kinds.computeIfAbsent(kind, c -> new Kind());
        if (nanos > budgetNanos) {
            if (wasInline) {
                System.Logger.Level level = k.told ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
                k.told = true;
                LOG.log(level, () -> "TLS delegated tasks of " + kind.getName() + " took " + nanos / 1000
                        + " µs inline on loop thread " + Thread.currentThread().getName() + ", over the budget of "
                        + budgetNanos / 1000 + " µs: they run off the loop until " + shortRunsBeforeInline + " runs in a row are short");
            }
            k.shortRuns = 0;
        } else if (k.shortRuns < shortRunsBeforeInline) {
            k.shortRuns++;
            if (k.shortRuns == shortRunsBeforeInline) {
                LOG.log(System.Logger.Level.DEBUG, () -> "TLS delegated tasks of " + kind.getName() + " run inline on loop thread "
                        + Thread.currentThread().getName() + ": the last " + shortRunsBeforeInline + " took at most "
                        + budgetNanos / 1000 + " µs each");
            }
        }
    }
}
