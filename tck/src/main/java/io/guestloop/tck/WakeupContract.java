package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.SelectionKey;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * {@link io.guestloop.spi.LoopThread#wakeup()}, the one thread-safe door: it reaches onWakeup from
 * any thread, is never lost, coalesces when the loop is busy, and wakes only its own thread.
 */
abstract class WakeupContract extends ContractGroup {

    @Test
    void wakeupFromAnotherThreadReachesOnWakeup() throws Exception {
        ThreadProbe loop = startedThread();
        CountDownLatch woken = new CountDownLatch(1);
        loop.onWakeupAction = woken::countDown;
        Thread caller = new Thread(loop.loopThread::wakeup, "tck-waker");
        caller.start();
        Timeouts.await(woken, "onWakeup after wakeup() on another thread");
        caller.join(Timeouts.AWAIT.toMillis());
    }

    @Test
    void wakeupFromManyThreadsIsNeverLost() throws Exception {
        ThreadProbe loop = startedThread();
        int threads = 8;
        int callsEach = 10_000;
        long total = (long) threads * callsEach;
        AtomicLong posted = new AtomicLong();
        CountDownLatch sawEveryCall = new CountDownLatch(1);
        // An onWakeup that starts after the last call sees every increment.
        loop.onWakeupAction = () -> {
            if (posted.get() == total) {
                sawEveryCall.countDown();
            }
        };
        CountDownLatch go = new CountDownLatch(1);
        Thread[] wakers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            wakers[t] = new Thread(() -> {
                Timeouts.await(go, "the start signal");
                for (int i = 0; i < callsEach; i++) {
                    posted.incrementAndGet();
                    loop.loopThread.wakeup();
                }
            }, "tck-waker-" + t);
            wakers[t].start();
        }
        go.countDown();
        for (Thread waker : wakers) {
            waker.join(Timeouts.AWAIT.toMillis());
        }
        assertEquals(total, posted.get(), "wakeup() calls made");
        Timeouts.await(sawEveryCall, "an onWakeup that starts after the last of " + total + " wakeup() calls");
    }

    @Test
    void wakeupRacingWithOnWakeupIsNeverLost() {
        ThreadProbe loop = startedThread();
        int rounds = 5_000;
        AtomicLong posted = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        Thread test = Thread.currentThread();
        // The test thread posts the next round as soon as it is told, often while onWakeup still runs.
        loop.onWakeupAction = () -> {
            seen.set(posted.get());
            LockSupport.unpark(test);
        };
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        for (long round = 1; round <= rounds; round++) {
            posted.set(round);
            loop.loopThread.wakeup();
            while (seen.get() < round) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("wakeup() of round " + round + " of " + rounds
                            + " never reached onWakeup (last round seen: " + seen.get() + ")");
                }
                LockSupport.parkNanos(left);
            }
        }
    }

    @Test
    void wakeupCalledDuringOnWakeupProducesAnotherOnWakeup() {
        ThreadProbe loop = startedThread();
        CountDownLatch second = new CountDownLatch(1);
        loop.onWakeupAction = () -> {
            if (loop.wakeups.get() == 1) {
                loop.loopThread.wakeup();
            } else {
                second.countDown();
            }
        };
        loop.loopThread.wakeup();
        Timeouts.await(second, "the onWakeup caused by wakeup() inside onWakeup");
    }

    @Test
    void wakeupFromAnotherCallbackOnTheLoopThreadReachesOnWakeup() {
        ThreadProbe loop = startedThread();
        CountDownLatch woken = new CountDownLatch(1);
        loop.onTimerAction = loop.loopThread::wakeup;
        loop.onWakeupAction = () -> {
            if (loop.timers.get() > 0) {
                woken.countDown();
            }
        };
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime()));
        Timeouts.await(woken, "onWakeup after wakeup() inside onTimer");
    }

    @Test
    void wakeupsWhileTheLoopIsBusyCoalesce() {
        ThreadProbe loop = startedThread();
        int calls = 100_000;
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger counted = new AtomicInteger();
        AtomicBoolean counting = new AtomicBoolean();
        loop.onWakeupAction = () -> {
            if (counting.get()) {
                counted.incrementAndGet();
            }
        };
        // The one place the kit blocks a loop thread, on purpose: to keep it busy while wakeups pile up.
        loop.submit(() -> {
            blocked.countDown();
            return release.await(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        });
        Timeouts.await(blocked, "the loop to be busy in onWakeup");
        counting.set(true);
        for (int i = 0; i < calls; i++) {
            loop.loopThread.wakeup();
        }
        release.countDown();
        loop.run("stop counting", () -> counting.set(false));

        int piled = counted.get() - 1; // the onWakeup that ran "stop counting" may be one of its own
        assertTrue(piled <= 3, calls + " wakeup() calls made while the loop was busy gave " + counted.get()
                + " onWakeup calls; expected them to coalesce into a few");
    }

    @Test
    void wakeupRightAfterStartIsNotLost() {
        int count = Math.min(2, fixture().maxServiceThreads());
        LoopUnderTest backend = session().newLoop(count);
        CountDownLatch woken = new CountDownLatch(count);
        for (ThreadProbe probe : backend.probes()) {
            probe.onWakeupAction = woken::countDown;
        }
        for (ThreadProbe probe : backend.probes()) {
            probe.loopThread.start(probe);
            probe.loopThread.wakeup();
        }
        Timeouts.await(woken, "onWakeup of every thread woken right after start()");
    }

    @Test
    void onWakeupIsNotDeliveredWithoutAWakeupCall() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        pair.send(1);
        CountDownLatch busyTurns = new CountDownLatch(5);
        RecordingListener listener = loop.listener((registration, ops) -> {
            busyTurns.countDown();
            if (busyTurns.getCount() == 0) {
                registration.cancel();
            }
        });
        // One wakeup() call: the one that runs this setup.
        loop.run("arm and register", () -> {
            loop.loopThread.armTimer(System.nanoTime());
            loop.register(pair.near, SelectionKey.OP_READ, listener);
        });
        Timeouts.await(busyTurns, "5 turns that report unread data");
        loop.nextTimerFiring("onTimer");
        assertEquals(1, loop.wakeups.get(), "onWakeup calls for a single wakeup() call, across turns with "
                + "readiness and a timer");
    }

    @Test
    void wakeupReachesOnlyItsOwnThread() {
        assumeTrue(fixture().maxServiceThreads() >= 2, "needs two service threads");
        LoopUnderTest backend = session().startedLoop(2);
        ThreadProbe woken = backend.probe(0);
        for (int i = 0; i < 100; i++) {
            woken.loopThread.wakeup();
        }
        woken.passTurns(2);
        assertEquals(0, backend.probe(1).wakeups.get(), "onWakeup calls of thread 1 after waking thread 0");
    }

    /**
     * A wake-up that asks for itself again from inside {@code onWakeup}, forever, must not keep the
     * loop from its channels: the core makes sure two {@code onWakeup}s never follow each other
     * without a poll in between, even when the shim's {@code wakeup()} posts a task to a queue the
     * loop drains until it is empty.
     */
    @Test
    void selfRepeatingWakeupsDoNotStarveChannelReadiness() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        AtomicBoolean repeat = new AtomicBoolean(true);
        CountDownLatch readable = new CountDownLatch(1);
        RecordingListener listener = loop.listener((registration, ops) -> {
            readable.countDown();
            registration.cancel();
        });
        loop.run("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        loop.onWakeupAction = () -> {
            if (repeat.get()) {
                loop.loopThread.wakeup();
            }
        };
        loop.loopThread.wakeup();
        pair.send(1);
        try {
            if (!readable.await(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("onWakeup ran " + loop.wakeups.get() + " times without the loop polling its channels: "
                        + "a wake-up asked for from inside onWakeup starves readiness (is wakeup() delivered in the same "
                        + "turn, and does the core's turn marker reach onReady?)");
            }
        } finally {
            repeat.set(false);
        }
    }

    /** The same for the timer: a due timer fires while wake-ups keep asking for themselves. */
    @Test
    void selfRepeatingWakeupsDoNotStarveTheTimer() throws Exception {
        ThreadProbe loop = startedThread();
        AtomicBoolean repeat = new AtomicBoolean(true);
        loop.onWakeupAction = () -> {
            if (repeat.get()) {
                loop.loopThread.wakeup();
            }
        };
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
        try {
            if (loop.timerFirings.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS) == null) {
                throw new AssertionError("onWakeup ran " + loop.wakeups.get() + " times and onTimer never, with the timer due: "
                        + "a wake-up asked for from inside onWakeup starves the timer");
            }
        } finally {
            repeat.set(false);
        }
    }

    /** Another thread that never stops calling {@code wakeup()} must not starve readiness either. */
    @Test
    void aSenderThatNeverStopsDoesNotStarveChannelReadiness() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        CountDownLatch readable = new CountDownLatch(1);
        RecordingListener listener = loop.listener((registration, ops) -> {
            readable.countDown();
            registration.cancel();
        });
        loop.run("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            while (sending.get()) {
                loop.loopThread.wakeup();
            }
        }, "tck-endless-waker");
        sender.start();
        try {
            pair.send(1);
            if (!readable.await(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("onWakeup ran " + loop.wakeups.get() + " times without the loop polling its channels "
                        + "while another thread kept calling wakeup(): wake-ups starve readiness");
            }
        } finally {
            sending.set(false);
            sender.join(Timeouts.AWAIT.toMillis());
        }
    }
}
