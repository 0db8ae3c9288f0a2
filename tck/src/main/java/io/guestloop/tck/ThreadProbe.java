package io.guestloop.tck;

import io.guestloop.internal.GuardedLoopThread;
import io.guestloop.internal.GuardedRegistration;
import io.guestloop.spi.ThreadEvents;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The kit's {@link ThreadEvents} for one {@link LoopThread}: it records every callback, checks on
 * each one that it runs on the loop thread, alone, and not after the backend closed, and runs work
 * the test thread queued with {@link #submit} inside {@code onWakeup} (the only way a test reaches
 * the loop thread).
 *
 * <p><b>Threading:</b> the {@code ThreadEvents} methods and listeners run on the loop thread;
 * {@link #submit}, the counters and {@link #violations()} may be used from any thread. The
 * {@code on*Action} hooks are set by the test before the event they react to can happen.
 */
final class ThreadProbe implements ThreadEvents {

    final GuardedLoopThread loopThread;
    final int index;

    final AtomicInteger wakeups = new AtomicInteger();
    final AtomicInteger timers = new AtomicInteger();
    final AtomicInteger hostLoopClosings = new AtomicInteger();
    /** {@link System#nanoTime()} at the start of every onTimer, in order. */
    final BlockingQueue<Long> timerFirings = new LinkedBlockingQueue<>();

    /** Runs at the start of each onTimer, on the loop thread. */
    volatile Runnable onTimerAction = () -> { };
    /** Runs at the start of each onWakeup, before queued tasks, on the loop thread. */
    volatile Runnable onWakeupAction = () -> { };
    /** Runs in onHostLoopClosing, on the loop thread. */
    volatile Runnable onHostLoopClosingAction = () -> { };

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger active = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile Thread callbackThread;
    private volatile boolean closeCompleted;

    ThreadProbe(GuardedLoopThread loopThread, int index) {
        this.loopThread = loopThread;
        this.index = index;
    }

    /** Queues {@code task} for the loop thread and wakes it; the future completes with its result. */
    <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        loopThread.wakeup();
        return result;
    }

    /** Runs {@code task} on the loop thread and waits for its result. */
    <T> T call(String what, Callable<T> task) {
        return Timeouts.await(submit(task), what);
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    void run(String what, ThrowingRunnable task) {
        call(what, () -> {
            task.run();
            return null;
        });
    }

    /**
     * Lets the loop go round {@code count} more times: each round trip is one wakeup the loop must
     * serve, so readiness and timers the loop had already seen are delivered by the time this returns.
     */
    void passTurns(int count) {
        for (int i = 0; i < count; i++) {
            call("a round trip through thread " + index, () -> null);
        }
    }

    /**
     * Gives the loop every chance to deliver something it should not: a few turns, a pause, and a few
     * more turns. For checks that nothing more arrives (after cancel, interest 0, consumed data).
     */
    void settle() {
        passTurns(3);
        Elapse.by(Elapse.GRACE);
        passTurns(3);
    }

    /** Waits for the next onTimer of this thread and returns when it started ({@link System#nanoTime()}). */
    long nextTimerFiring(String what) {
        try {
            Long firing = timerFirings.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (firing == null) {
                throw new AssertionError("timed out after " + Timeouts.AWAIT.toSeconds() + " s waiting for " + what);
            }
            return firing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** The thread callbacks of this loop thread ran on, or null before the first one. */
    Thread callbackThread() {
        return callbackThread;
    }

    /** Everything a callback of this thread did against the contract, one line each. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Called once the backend's close() stage completed: any callback from now on is a violation. */
    void closeCompleted() {
        closeCompleted = true;
    }

    /**
     * Registers {@code channel} with this thread (on the loop thread) and tells a
     * {@link RecordingListener} its registration before anything can be reported.
     */
    GuardedRegistration register(java.nio.channels.SelectableChannel channel, int ops, io.guestloop.spi.ReadyListener listener)
            throws java.io.IOException {
        GuardedRegistration registration = loopThread.register(channel, ops, listener);
        if (listener instanceof RecordingListener recording) {
            recording.bind(registration);
        }
        return registration;
    }

    /** A listener that checks and records every onReady and then runs {@code action}. */
    RecordingListener listener(BiConsumer<GuardedRegistration, Integer> action) {
        return new RecordingListener(this, action);
    }

    /** A listener that only checks and records. */
    RecordingListener listener() {
        return listener((registration, readyOps) -> { });
    }

    @Override
    public void onTimer() {
        enter("onTimer");
        try {
            timers.incrementAndGet();
            timerFirings.add(System.nanoTime());
            onTimerAction.run();
        } finally {
            exit();
        }
    }

    @Override
    public void onWakeup() {
        enter("onWakeup");
        try {
            wakeups.incrementAndGet();
            onWakeupAction.run();
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onHostLoopClosing() {
        enter("onHostLoopClosing");
        try {
            hostLoopClosings.incrementAndGet();
            onHostLoopClosingAction.run();
        } finally {
            exit();
        }
    }

    /** Checks the contract at the start of every callback; pairs with {@link #exit()}. */
    void enter(String callback) {
        Thread current = Thread.currentThread();
        if (active.incrementAndGet() != 1) {
            violations.add(callback + " of thread " + index + " started on " + current.getName()
                    + " while another callback of the same loop thread was still running");
        }
        if (!loopThread.inLoop()) {
            violations.add(callback + " of thread " + index + " ran on " + current.getName()
                    + " where inLoop() is false");
        }
        Thread first = callbackThread;
        if (first == null) {
            callbackThread = current;
        } else if (first != current) {
            violations.add(callback + " of thread " + index + " ran on " + current.getName()
                    + " but earlier callbacks ran on " + first.getName());
        }
        if (closeCompleted) {
            violations.add(callback + " of thread " + index + " ran after close() had completed");
        }
    }

    void exit() {
        active.decrementAndGet();
    }

    /** A task that may throw, for {@link #run}. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
