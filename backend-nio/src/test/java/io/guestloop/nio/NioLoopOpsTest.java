package io.guestloop.nio;

import io.guestloop.spi.LoopOptions;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nio backend as a whole: its threads, running on the caller, and closing. */
class NioLoopOpsTest {

    /** ThreadEvents built from lambdas; the unused ones do nothing. */
    private static ThreadEvents events(Runnable onWakeup, Runnable onTimer) {
        return new ThreadEvents() {
            @Override
            public void onTimer() {
                onTimer.run();
            }

            @Override
            public void onWakeup() {
                onWakeup.run();
            }

            @Override
            public void onHostLoopClosing() {
                throw new AssertionError("nio never reports its own loop closing");
            }
        };
    }

    @Test
    void ownedThreadsAreDaemonsNamedAfterThePrefixAndTheirIndex() {
        NioLoopOps ops = new NioLoopOps(new LoopOptions(null, 3, false));
        ConcurrentHashMap<Integer, Thread> seen = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            int index = i;
            LoopThread loop = ops.threads().get(i);
                        loop.start(events(() -> {
                seen.put(index, Thread.currentThread());
                all.countDown();
            }, () -> { }));
            loop.wakeup();
        }
        Timeouts.await(all, "an onWakeup on each thread");
        for (int i = 0; i < 3; i++) {
            assertEquals("guestloop-nio-" + i, seen.get(i).getName());
            assertTrue(seen.get(i).isDaemon());
        }
        Timeouts.await(ops.close(), "close");
    }

    @Test
    void defaultThreadCountIsOnePerProcessor() {
        NioLoopOps ops = new NioLoopOps(LoopOptions.owned(0));
        assertEquals(Runtime.getRuntime().availableProcessors(), ops.threads().size());
        Timeouts.await(ops.close(), "close of a backend never started");
    }

    @Test
    void runOnCallerRunsTheLoopOnTheCallingThreadUntilClosed() throws Exception {
        NioLoopOps ops = new NioLoopOps(new LoopOptions(null, 0, true));
        assertEquals(1, ops.threads().size());
        LoopThread loop = ops.threads().get(0);
        AtomicReference<Thread> wakeupOn = new AtomicReference<>();
        AtomicReference<Thread> timerOn = new AtomicReference<>();
        AtomicInteger missing = new AtomicInteger(2);
        loop.start(events(() -> {
            wakeupOn.set(Thread.currentThread());
            if (missing.decrementAndGet() == 0) {
                ops.close();
            }
        }, () -> {
            timerOn.set(Thread.currentThread());
            if (missing.decrementAndGet() == 0) {
                ops.close();
            }
        }));
        // Made before run(), from this thread: both must be remembered.
        loop.wakeup();
        loop.armTimer(System.nanoTime());
        assertFalse(loop.inLoop());
        CompletableFuture<Void> returned = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            ops.run();
            returned.complete(null);
        }, "the-caller");
        caller.start();
        Timeouts.await(returned, "run() to return after close");
        assertTrue(ops.close().toCompletableFuture().isDone(), "run() returned before close completed");
        assertSame(caller, wakeupOn.get());
        assertSame(caller, timerOn.get());
    }

    @Test
    void wakeupsMadeBeforeRunCoalesceIntoOne() throws Exception {
        NioLoopOps ops = new NioLoopOps(new LoopOptions(null, 1, true));
        LoopThread loop = ops.threads().get(0);
        AtomicInteger wakeups = new AtomicInteger();
        AtomicInteger seenByTimer = new AtomicInteger(-1);
        loop.start(events(() -> {
            wakeups.incrementAndGet();
            loop.armTimer(System.nanoTime()); // the next check point: later wakeups would come first
        }, () -> {
            seenByTimer.set(wakeups.get());
            ops.close();
        }));
        Thread[] wakers = new Thread[4];
        for (int t = 0; t < wakers.length; t++) {
            wakers[t] = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    loop.wakeup();
                }
            });
            wakers[t].start();
        }
        for (Thread waker : wakers) {
            waker.join(Timeouts.AWAIT.toMillis());
        }
        runInThread(ops);
        assertEquals(1, seenByTimer.get());
    }

    @Test
    void runOnABackendWithThreadsOfItsOwnIsRefused() {
        NioLoopOps ops = new NioLoopOps(LoopOptions.owned(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, ops::run);
        assertTrue(e.getMessage().contains("runOnCaller"), e.getMessage());
        Timeouts.await(ops.close(), "close");
    }

    @Test
    void aHostLoopIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NioLoopOps(LoopOptions.on(new Object())));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void closeFromALoopThreadCompletes() {
        NioLoopOps ops = new NioLoopOps(LoopOptions.owned(2));
        CompletableFuture<CompletionStage<Void>> fromLoop = new CompletableFuture<>();
        List<Thread> loopThreads = new ArrayList<>();
        ops.threads().get(1).start(events(() -> { }, () -> { }));
        ops.threads().get(0).start(events(() -> {
            loopThreads.add(Thread.currentThread());
            fromLoop.complete(ops.close());
        }, () -> { }));
        ops.threads().get(0).wakeup();
        CompletionStage<Void> stage = Timeouts.await(fromLoop, "close() called on the loop thread to return");
        Timeouts.await(stage, "a close started on the loop thread");
        assertFalse(loopThreads.get(0).isAlive());
    }

    @Test
    void closeIsIdempotentAndReturnsTheSameStage() {
        NioLoopOps ops = new NioLoopOps(LoopOptions.owned(1));
        ops.threads().get(0).start(events(() -> { }, () -> { }));
        CompletionStage<Void> first = ops.close();
        assertSame(first, ops.close());
        Timeouts.await(first, "close");
        assertSame(first, ops.close());
    }

    @Test
    void ownedThreadsHaveTerminatedWhenCloseCompletes() {
        NioLoopOps ops = new NioLoopOps(LoopOptions.owned(3));
        List<Thread> threads = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(3);
        for (LoopThread loop : ops.threads()) {
            loop.start(events(() -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
                all.countDown();
            }, () -> { }));
            loop.wakeup();
        }
        Timeouts.await(all, "every thread to run");
        Timeouts.await(ops.close(), "close");
        for (Thread t : threads) {
            assertFalse(t.isAlive(), t.getName() + " still alive after close completed");
        }
    }

    @Test
    void closeBeforeStartCompletesWithoutStartingThreads() {
        NioLoopOps ops = new NioLoopOps(LoopOptions.owned(2));
        Timeouts.await(ops.close(), "close of a backend never started");
        AtomicInteger callbacks = new AtomicInteger();
        ops.threads().get(0).start(events(callbacks::incrementAndGet, callbacks::incrementAndGet));
        ops.threads().get(0).wakeup();
        assertFalse(ops.threads().get(0).inLoop());
        assertEquals(0, callbacks.get());
    }

    private static void runInThread(NioLoopOps ops) {
        CompletableFuture<Void> returned = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                ops.run();
                returned.complete(null);
            } catch (Throwable t) {
                returned.completeExceptionally(t);
            }
        }, "run-caller");
        caller.start();
        Timeouts.await(returned, "run() to return after close");
    }
}
