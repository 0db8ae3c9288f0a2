package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.guestloop.spi.LoopThread;
import io.guestloop.internal.GuardedRegistration;

import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

/**
 * {@link io.guestloop.spi.LoopOps#threads()} and {@link io.guestloop.spi.LoopOps#close()}: the
 * threads are fixed, close completes, is idempotent, releases what is left, stops owned threads, and
 * after it completes no callback of any kind runs.
 */
abstract class LifecycleContract extends ContractGroup {

    private int twoIfPossible() {
        return Math.min(2, fixture().maxServiceThreads());
    }

    @Test
    void threadsAreFixedAndNeverEmpty() {
        int count = twoIfPossible();
        LoopUnderTest backend = session().newLoop(count);
        List<LoopThread> before = new ArrayList<>(backend.ops.threads());
        assertEquals(count, before.size(), "threads() of a backend made for " + count + " service threads");
        backend.start();
        List<LoopThread> after = new ArrayList<>(backend.ops.threads());
        assertEquals(before.size(), after.size(), "threads() size after start");
        for (int i = 0; i < count; i++) {
            assertSame(before.get(i), after.get(i), "threads().get(" + i + ") before and after start");
        }
    }

    @Test
    void closeCompletes() {
        LoopUnderTest backend = session().startedLoop(twoIfPossible());
        backend.probe(0).passTurns(1);
        backend.closeAndWait();
        assertNoViolations(backend);
    }

    @Test
    void closeCompletesWhenNoThreadWasStarted() {
        LoopUnderTest backend = session().newLoop(twoIfPossible());
        backend.closeAndWait();
    }

    @Test
    void closeIsIdempotent() {
        LoopUnderTest backend = session().startedLoop(1);
        CompletionStage<Void> first = backend.ops.close();
        CompletionStage<Void> second = backend.ops.close();
        Timeouts.await(first, "the first close()");
        CompletionStage<Void> third = backend.ops.close();
        assertSame(first, second, "close() called again while closing returns the same stage");
        assertSame(first, third, "close() called again after closing returns the same stage");
    }

    @Test
    void closeCalledOnTheLoopThreadCompletes() {
        LoopUnderTest backend = session().startedLoop(1);
        CompletionStage<Void> stage = backend.probe(0).call("close on the loop", backend::close);
        Timeouts.await(stage, "close() called from a callback");
    }

    @Test
    void noReadinessCallbackAfterCloseCompletes() throws Exception {
        LoopUnderTest backend = session().startedLoop(1);
        ThreadProbe loop = backend.probe(0);
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener();
        loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        pair.send(1);
        listener.nextReadyOps("READ of unread data, reported on every turn");

        backend.closeAndWait();
        pair.send(1);
        Elapse.by(Elapse.GRACE);
        assertNoViolations(backend);
    }

    @Test
    void noTimerCallbackAfterCloseCompletes() {
        LoopUnderTest backend = session().startedLoop(1);
        ThreadProbe loop = backend.probe(0);
        long deadline = loop.call("arm", () -> {
            long at = System.nanoTime() + Duration.ofMillis(100).toNanos();
            loop.loopThread.armTimer(at);
            return at;
        });
        backend.closeAndWait();
        Elapse.until(deadline + Elapse.GRACE.toNanos());
        assertNoViolations(backend);
    }

    @Test
    void noWakeupCallbackAfterCloseCompletes() {
        LoopUnderTest backend = session().startedLoop(1);
        ThreadProbe loop = backend.probe(0);
        loop.passTurns(1);
        backend.closeAndWait();
        int before = loop.wakeups.get();
        for (int i = 0; i < 10; i++) {
            loop.loopThread.wakeup();
        }
        Elapse.by(Elapse.GRACE);
        assertNoViolations(backend);
        assertEquals(before, loop.wakeups.get(), "onWakeup calls after close() completed");
    }

    @Test
    void closeReleasesLeftoverRegistrations() throws Exception {
        LoopUnderTest backend = session().startedLoop(1);
        ThreadProbe loop = backend.probe(0);
        SocketPair pair = session().socketPair();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        backend.closeAndWait();
        // After close() no loop thread owns the registration; the stage orders this read after it.
        assertFalse(registration.isValid(), "isValid() of a registration left when close() completed");
        if (!fixture().borrowsHostLoop()) {
            assertFalse(pair.near.isRegistered(), "channel still registered with a Selector after close()");
        }
    }

    @Test
    void closeStopsTheThreadsItOwns() {
        assumeFalse(fixture().borrowsHostLoop(), "the backend borrows its threads from the host");
        LoopUnderTest backend = session().startedLoop(twoIfPossible());
        List<Thread> threads = new ArrayList<>();
        for (ThreadProbe probe : backend.probes()) {
            threads.add(probe.call("which thread", Thread::currentThread));
        }
        backend.closeAndWait();
        for (Thread thread : threads) {
            try {
                thread.join(Timeouts.AWAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            assertFalse(thread.isAlive(), "owned loop thread " + thread.getName() + " still alive after close()");
        }
    }

    @Test
    void closeDuringACallbackWaitsForItToReturn() {
        LoopUnderTest backend = session().startedLoop(1);
        ThreadProbe loop = backend.probe(0);
        CompletableFuture<Boolean> doneInCallback = new CompletableFuture<>();
        loop.run("close from inside a callback", () -> {
            CompletionStage<Void> stage = backend.close();
            doneInCallback.complete(stage.toCompletableFuture().isDone());
        });
        assertFalse(Timeouts.await(doneInCallback, "the callback"),
                "close() completed while a callback of the backend was still running");
        backend.closeAndWait();
        assertTrue(loop.violations().isEmpty(), "violations: " + loop.violations());
    }
}
