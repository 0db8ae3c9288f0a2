package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.guestloop.spi.LoopThread;

import java.nio.channels.SelectionKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * Every callback of a {@link LoopThread} runs on that loop's thread, one at a time, and
 * {@link LoopThread#inLoop()} tells that thread from every other.
 */
abstract class ThreadAffinityContract extends ContractGroup {

    @Test
    void onReadyRunsOnTheLoopThread() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
        RecordingListener listener = loop.listener((registration, ops) -> {
            inLoop.complete(loop.loopThread.inLoop());
            SocketPair.drain(pair.near);
        });
        loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        pair.send(1);

        assertTrue(Timeouts.await(inLoop, "onReady"), "inLoop() inside onReady");
        assertNotSame(Thread.currentThread(), loop.callbackThread(), "onReady ran on the test thread");
        assertNoViolations(loop);
    }

    @Test
    void onTimerRunsOnTheLoopThread() {
        ThreadProbe loop = startedThread();
        CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
        loop.onTimerAction = () -> inLoop.complete(loop.loopThread.inLoop());
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime() + 1_000_000));

        assertTrue(Timeouts.await(inLoop, "onTimer"), "inLoop() inside onTimer");
        assertNotSame(Thread.currentThread(), loop.callbackThread(), "onTimer ran on the test thread");
        assertNoViolations(loop);
    }

    @Test
    void onWakeupRunsOnTheLoopThread() throws Exception {
        ThreadProbe loop = startedThread();
        CompletableFuture<Thread> wakeupThread = new CompletableFuture<>();
        loop.onWakeupAction = () -> wakeupThread.complete(Thread.currentThread());
        Thread caller = new Thread(loop.loopThread::wakeup, "tck-waker");
        caller.start();
        caller.join(Timeouts.AWAIT.toMillis());

        Thread ranOn = Timeouts.await(wakeupThread, "onWakeup");
        assertNotSame(caller, ranOn, "onWakeup ran on the thread that called wakeup()");
        assertNotSame(Thread.currentThread(), ranOn, "onWakeup ran on the test thread");
        assertNoViolations(loop);
    }

    @Test
    void inLoopIsFalseOffTheLoopThread() throws Exception {
        ThreadProbe loop = startedThread();
        assertTrue(loop.call("inLoop on the loop", loop.loopThread::inLoop), "inLoop() on the loop thread");

        assertFalse(loop.loopThread.inLoop(), "inLoop() on the test thread");
        CompletableFuture<Boolean> elsewhere = new CompletableFuture<>();
        Thread other = new Thread(() -> elsewhere.complete(loop.loopThread.inLoop()), "tck-other");
        other.start();
        assertFalse(Timeouts.await(elsewhere, "inLoop on another thread"), "inLoop() on another thread");
        other.join(Timeouts.AWAIT.toMillis());
    }

    @Test
    void inLoopIsFalseOnAnotherLoopThreadOfTheSameBackend() {
        assumeTrue(fixture().maxServiceThreads() >= 2, "needs two service threads");
        LoopUnderTest backend = session().startedLoop(2);
        LoopThread second = backend.probe(1).loopThread;
        assertFalse(backend.probe(0).call("inLoop of thread 1 on thread 0", second::inLoop),
                "thread 1's inLoop() called on thread 0");
    }

    @Test
    void eachLoopThreadRunsOnItsOwnThread() {
        int count = Math.min(3, fixture().maxServiceThreads());
        assumeTrue(count >= 2, "needs two service threads");
        LoopUnderTest backend = session().startedLoop(count);
        Set<Thread> threads = new HashSet<>();
        for (ThreadProbe probe : backend.probes()) {
            threads.add(probe.call("which thread", Thread::currentThread));
        }
        assertEquals(count, threads.size(), "distinct threads serving " + count + " LoopThreads: " + threads);
        assertNoViolations(backend);
    }

    @Test
    void threadNameNamesTheLoopThread() {
        ThreadProbe loop = startedThread();
        assertNotNull(loop.loopThread.threadName(), "threadName() before any callback");
        List<String> names = loop.call("names", () -> List.of(Thread.currentThread().getName(),
                loop.loopThread.threadName()));
        assertEquals(names.get(0), names.get(1), "threadName() once the loop runs");
    }

    @Test
    void callbacksOfOneThreadNeverOverlapUnderLoad() throws Exception {
        ThreadProbe loop = startedThread();
        int sockets = 4;
        int bytesEach = 64 * 1024;
        int timerFirings = 500;
        int wakeupsPerThread = 5_000;

        AtomicLong received = new AtomicLong();
        CountDownLatch allReceived = new CountDownLatch(1);
        CountDownLatch timersDone = new CountDownLatch(1);
        loop.onTimerAction = () -> {
            if (loop.timers.get() < timerFirings) {
                loop.loopThread.armTimer(System.nanoTime());
            } else {
                timersDone.countDown();
            }
        };
        SocketPair[] pairs = new SocketPair[sockets];
        for (int i = 0; i < sockets; i++) {
            SocketPair pair = session().socketPair();
            pairs[i] = pair;
            RecordingListener listener = loop.listener((registration, ops) -> {
                int n = SocketPair.drain(pair.near);
                if (n > 0 && received.addAndGet(n) == (long) sockets * bytesEach) {
                    allReceived.countDown();
                }
            });
            loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        }
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime()));

        Thread[] wakers = new Thread[2];
        for (int w = 0; w < wakers.length; w++) {
            wakers[w] = new Thread(() -> {
                for (int i = 0; i < wakeupsPerThread; i++) {
                    loop.loopThread.wakeup();
                }
            }, "tck-waker-" + w);
            wakers[w].start();
        }
        for (int chunk = 0; chunk < bytesEach / 1024; chunk++) {
            for (SocketPair pair : pairs) {
                pair.send(1024);
            }
        }
        for (Thread waker : wakers) {
            waker.join(Timeouts.AWAIT.toMillis());
        }
        Timeouts.await(allReceived, "every byte read by onReady");
        Timeouts.await(timersDone, timerFirings + " chained timer firings");
        loop.passTurns(1);

        assertNoViolations(loop);
    }
}
