package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.guestloop.internal.GuardedRegistration;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.SelectionKey;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * An idle loop thread burns no measurable CPU: no polling, no periodic tick, and it goes back to
 * sleep after timers, wakeups and readiness it was given. Measured with the thread's CPU time over a
 * window of wall time.
 */
abstract class IdleCpuContract extends ContractGroup {

    /**
     * 1 % of a core over the window: a loop that polls or ticks, even every 10 ms, spends more. The
     * window is wall time waited on every backend, four times each, so it is kept short.
     */
    private static final Duration WINDOW = Duration.ofMillis(500);
    private static final Duration LIMIT = Duration.ofMillis(5);

    /** Measures the CPU time {@code loop}'s thread uses over {@link #WINDOW} and fails above {@link #LIMIT}. */
    private static void assertIdle(ThreadProbe loop, String state) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported(), "this JVM cannot measure a thread's CPU time");
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        long id = loop.call("the loop thread's id", () -> Thread.currentThread().getId());
        long before = threads.getThreadCpuTime(id);
        Elapse.by(WINDOW);
        long after = threads.getThreadCpuTime(id);
        assumeTrue(before >= 0 && after >= 0, "the loop thread's CPU time is not available");
        long used = after - before;
        assertTrue(used < LIMIT.toNanos(), "idle loop thread (" + state + ") used " + used / 1_000 + " µs of CPU in "
                + WINDOW.toMillis() + " ms; an idle loop must block, not poll");
    }

    @Test
    void idleLoopThreadBurnsNoCpu() throws Exception {
        ThreadProbe loop = startedThread();
        for (int i = 0; i < 3; i++) {
            SocketPair pair = session().socketPair();
            loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        }
        assertIdle(loop, "three idle READ registrations, no timer");
    }

    @Test
    void loopIsIdleAgainAfterItsTimerFired() {
        ThreadProbe loop = startedThread();
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime()));
        loop.nextTimerFiring("onTimer");
        loop.passTurns(1);
        assertIdle(loop, "after its timer fired");
    }

    @Test
    void loopIsIdleAgainAfterManyWakeups() {
        ThreadProbe loop = startedThread();
        for (int i = 0; i < 10_000; i++) {
            loop.loopThread.wakeup();
        }
        loop.passTurns(1);
        assertIdle(loop, "after 10,000 wakeups");
    }

    @Test
    void loopWithPendingDataButZeroInterestIsIdle() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        pair.send(1);
        listener.nextReadyOps("READ of unread data");
        loop.run("interest 0", () -> registration.interestOps(0));
        assertIdle(loop, "a registration with unread data and interest 0");
    }
}
