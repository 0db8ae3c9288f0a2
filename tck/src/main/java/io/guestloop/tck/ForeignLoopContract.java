package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend on a borrowed host loop: the guest runs on the host's threads, closing the guest leaves
 * the host serving its own work, and the host shutting down first tells the guest once. Skipped for
 * backends that own their loop.
 */
abstract class ForeignLoopContract extends ContractGroup {

    @BeforeEach
    void onlyForBorrowedLoops() {
        assumeTrue(fixture().borrowsHostLoop(), fixture().backendName() + " owns its loop");
    }

    private int twoIfPossible() {
        return Math.min(2, fixture().maxServiceThreads());
    }

    private static List<Thread> callbackThreads(LoopUnderTest backend) {
        List<Thread> threads = new ArrayList<>();
        for (ThreadProbe probe : backend.probes()) {
            threads.add(probe.call("which thread", Thread::currentThread));
        }
        return threads;
    }

    @Test
    void callbacksRunOnTheHostLoopThread() {
        LoopUnderTest backend = session().startedLoop(twoIfPossible());
        List<Thread> threads = callbackThreads(backend);
        for (int i = 0; i < threads.size(); i++) {
            Thread host = Timeouts.await(fixture().runHostTask(i), "a host task on loop " + i);
            assertSame(host, threads.get(i), "service thread " + i + " runs on the host loop thread that serves it");
        }
    }

    @Test
    void hostStillRunsItsOwnTasksAfterClose() {
        LoopUnderTest backend = session().startedLoop(twoIfPossible());
        List<Thread> threads = callbackThreads(backend);
        backend.closeAndWait();
        for (int i = 0; i < threads.size(); i++) {
            Thread host = Timeouts.await(fixture().runHostTask(i), "a host task on loop " + i + " after close()");
            assertSame(threads.get(i), host, "host loop " + i + " runs its tasks on the same thread after close()");
        }
    }

    @Test
    void hostShutdownTellsTheGuestOnceOnTheLoopThread() throws Exception {
        LoopUnderTest backend = session().startedLoop(twoIfPossible());
        ThreadProbe first = backend.probe(0);
        SocketPair pair = session().socketPair();
        first.call("register and arm", () -> {
            first.loopThread.armTimer(System.nanoTime() + Duration.ofMinutes(10).toNanos());
            return first.register(pair.near, SelectionKey.OP_READ, first.listener());
        });
        callbackThreads(backend);

        Timeouts.await(fixture().shutdownHost(), "the host loop to shut down");
        for (ThreadProbe probe : backend.probes()) {
            assertEquals(1, probe.hostLoopClosings.get(), "onHostLoopClosing calls of thread " + probe.index);
        }
        assertNoViolations(backend);
    }

    @Test
    void closeAfterHostShutdownCompletes() {
        LoopUnderTest backend = session().startedLoop(twoIfPossible());
        callbackThreads(backend);
        Timeouts.await(fixture().shutdownHost(), "the host loop to shut down");
        backend.closeAndWait();
        for (ThreadProbe probe : backend.probes()) {
            assertEquals(1, probe.hostLoopClosings.get(), "onHostLoopClosing calls of thread " + probe.index
                    + " after the host shut down and the guest closed");
        }
    }
}
