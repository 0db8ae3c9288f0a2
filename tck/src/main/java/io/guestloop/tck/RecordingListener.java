package io.guestloop.tck;

import io.guestloop.spi.ReadyListener;
import io.guestloop.internal.GuardedRegistration;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A {@link ReadyListener} that checks each call against the contract (loop thread, alone, ready ops
 * a non-empty subset of the interest set), records the ready ops, and then runs a test's action.
 *
 * <p><b>Threading:</b> {@link #onReady} runs on the loop thread; the records may be read from any
 * thread.
 */
final class RecordingListener implements ReadyListener {

    final AtomicInteger calls = new AtomicInteger();
    /** The ready ops of every call, in order. */
    final BlockingQueue<Integer> readyOps = new LinkedBlockingQueue<>();

    private final ThreadProbe probe;
    private final BiConsumer<GuardedRegistration, Integer> action;
    private final AtomicInteger outsideInterest = new AtomicInteger();

    private volatile GuardedRegistration registration;

    /** The registration this listener hears for; set by {@link ThreadProbe#register} before any call. */
    void bind(GuardedRegistration r) {
        this.registration = r;
    }

    RecordingListener(ThreadProbe probe, BiConsumer<GuardedRegistration, Integer> action) {
        this.probe = probe;
        this.action = action;
    }

    @Override
    public void onReady(int ops) {
        probe.enter("onReady");
        try {
            calls.incrementAndGet();
            if (ops == 0 || (ops & ~registration.interestOps()) != 0) {
                outsideInterest.incrementAndGet();
            }
            readyOps.add(ops);
            action.accept(registration, ops);
        } finally {
            probe.exit();
        }
    }

    /** How many calls reported ops that were empty or outside the interest set at the time. */
    int callsOutsideInterest() {
        return outsideInterest.get();
    }

    /** Waits for the next call and returns its ready ops, failing the test when none comes in time. */
    int nextReadyOps(String what) {
        try {
            Integer ops = readyOps.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (ops == null) {
                throw new AssertionError("timed out after " + Timeouts.AWAIT.toSeconds() + " s waiting for " + what);
            }
            return ops;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Waits until a call reports every op in {@code ops}; earlier calls are skipped. */
    void awaitReady(int ops, String what) {
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Integer seen;
            try {
                seen = left <= 0 ? null : readyOps.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            if (seen == null) {
                throw new AssertionError("timed out after " + Timeouts.AWAIT.toSeconds() + " s waiting for " + what);
            }
            if ((seen & ops) == ops) {
                return;
            }
        }
    }
}
