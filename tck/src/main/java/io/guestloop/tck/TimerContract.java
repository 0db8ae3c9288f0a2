package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/**
 * The single timer of a {@link io.guestloop.spi.LoopThread}: never early, once per arming, re-arming
 * replaces, disarming holds, a past deadline fires on the next turn, and onTimer may arm again.
 */
abstract class TimerContract extends ContractGroup {

    private static final long FAR = Duration.ofMinutes(10).toNanos();
    private static final long MILLI = Duration.ofMillis(1).toNanos();

    /** Arms {@code loop}'s timer {@code delayNanos} from now (measured on the loop); returns the deadline. */
    private static long armIn(ThreadProbe loop, long delayNanos) {
        return loop.call("armTimer", () -> {
            long deadline = System.nanoTime() + delayNanos;
            loop.loopThread.armTimer(deadline);
            return deadline;
        });
    }

    private static long nextFiring(ThreadProbe loop, String what) {
        return loop.nextTimerFiring(what);
    }

    /** Lets a deadline pass with margin and the loop turn, so a timer still armed for it has fired. */
    private static void outlive(ThreadProbe loop, long deadline) {
        Elapse.until(deadline + Elapse.GRACE.toNanos());
        loop.passTurns(2);
    }

    /**
     * Keeps {@code loop} turning until its timer fired {@code firings} times in all, so that the timer
     * is checked on many turns before its deadline and not only when the loop sleeps until it.
     */
    private static void keepTurningUntilFired(ThreadProbe loop, int firings) {
        loop.onWakeupAction = () -> {
            if (loop.timers.get() < firings) {
                loop.loopThread.wakeup();
            }
        };
    }

    @Test
    void timerDoesNotFireBeforeItsDeadline() {
        ThreadProbe loop = startedThread();
        // Odd delays catch deadlines rounded down to whole milliseconds.
        for (int i = 0; i < 15; i++) {
            long deadline = armIn(loop, i * 1_370_000L + 1);
            long firedAt = nextFiring(loop, "firing " + i);
            assertTrue(firedAt - deadline >= 0, "firing " + i + " came " + (deadline - firedAt) + " ns early");
        }
    }

    @Test
    void timerWithAPastDeadlineFiresOnTheNextTurn() {
        ThreadProbe loop = startedThread();
        armIn(loop, -Duration.ofSeconds(1).toNanos());
        nextFiring(loop, "onTimer for a deadline already past");
    }

    @Test
    void timerFiresExactlyOncePerArming() {
        ThreadProbe loop = startedThread();
        long deadline = armIn(loop, 10 * MILLI);
        nextFiring(loop, "onTimer");
        outlive(loop, deadline);
        assertEquals(1, loop.timers.get(), "onTimer calls for one arming");
    }

    @Test
    void timerWithAPastDeadlineFiresExactlyOnce() {
        ThreadProbe loop = startedThread();
        long deadline = armIn(loop, -Duration.ofSeconds(1).toNanos());
        nextFiring(loop, "onTimer");
        outlive(loop, deadline);
        assertEquals(1, loop.timers.get(), "onTimer calls for one arming in the past");
    }

    @Test
    void reArmingNearerReplacesTheFartherDeadline() {
        ThreadProbe loop = startedThread();
        armIn(loop, FAR);
        loop.passTurns(1);
        long near = armIn(loop, 20 * MILLI);
        long firedAt = nextFiring(loop, "onTimer at the nearer deadline (the farther one is minutes away)");
        assertTrue(firedAt - near >= 0, "fired before the nearer deadline");
        outlive(loop, near);
        assertEquals(1, loop.timers.get(), "onTimer calls after arming far then near");
    }

    @Test
    void reArmingFartherReplacesTheNearerDeadline() {
        ThreadProbe loop = startedThread();
        long near = armIn(loop, 50 * MILLI);
        armIn(loop, FAR);
        outlive(loop, near);
        assertEquals(0, loop.timers.get(), "onTimer calls at the replaced nearer deadline");
    }

    @Test
    void reArmingFartherInTheSameTurnReplacesAPastDeadline() {
        ThreadProbe loop = startedThread();
        long past = loop.call("arm past, then far", () -> {
            long deadline = System.nanoTime() - MILLI;
            loop.loopThread.armTimer(deadline);
            loop.loopThread.armTimer(System.nanoTime() + FAR);
            return deadline;
        });
        outlive(loop, past);
        assertEquals(0, loop.timers.get(), "onTimer calls for the replaced past deadline");
    }

    @Test
    void disarmedTimerDoesNotFire() {
        ThreadProbe loop = startedThread();
        long deadline = armIn(loop, 50 * MILLI);
        loop.run("disarm", loop.loopThread::disarmTimer);
        outlive(loop, deadline);
        assertEquals(0, loop.timers.get(), "onTimer calls after disarmTimer()");
    }

    @Test
    void disarmInTheSameTurnAsAPastDeadlineHolds() {
        ThreadProbe loop = startedThread();
        long past = loop.call("arm past, then disarm", () -> {
            long deadline = System.nanoTime() - MILLI;
            loop.loopThread.armTimer(deadline);
            loop.loopThread.disarmTimer();
            return deadline;
        });
        outlive(loop, past);
        assertEquals(0, loop.timers.get(), "onTimer calls after arming a past deadline and disarming");
    }

    @Test
    void disarmWithNothingArmedIsHarmless() {
        ThreadProbe loop = startedThread();
        loop.run("disarm twice", () -> {
            loop.loopThread.disarmTimer();
            loop.loopThread.disarmTimer();
        });
        armIn(loop, MILLI);
        nextFiring(loop, "onTimer armed after disarming nothing");
    }

    @Test
    void armingInsideOnTimerChains() {
        ThreadProbe loop = startedThread();
        int chain = 5;
        CountDownLatch done = new CountDownLatch(chain);
        loop.onTimerAction = () -> {
            done.countDown();
            if (loop.timers.get() < chain) {
                loop.loopThread.armTimer(System.nanoTime() + MILLI);
            }
        };
        armIn(loop, MILLI);
        Timeouts.await(done, chain + " timers, each armed by the previous onTimer");
    }

    @Test
    void armingAPastDeadlineInsideOnTimerFiresAgain() {
        ThreadProbe loop = startedThread();
        int chain = 5;
        CountDownLatch done = new CountDownLatch(chain);
        loop.onTimerAction = () -> {
            done.countDown();
            if (loop.timers.get() < chain) {
                loop.loopThread.armTimer(System.nanoTime() - MILLI);
            }
        };
        armIn(loop, -MILLI);
        Timeouts.await(done, chain + " timers, each armed in the past by the previous onTimer");
    }

    @Test
    void wakeupsDoNotMakeTheTimerFireEarly() {
        ThreadProbe loop = startedThread();
        // The loop turns all the time, so the timer is checked on many turns just before its deadline.
        for (int i = 0; i < 10; i++) {
            keepTurningUntilFired(loop, i + 1);
            long deadline = armIn(loop, i * 1_370_000L + 1);
            long firedAt = nextFiring(loop, "firing " + i + " while the loop keeps waking");
            assertTrue(firedAt - deadline >= 0, "firing " + i + " came " + (deadline - firedAt)
                    + " ns early while wakeups kept the loop turning");
        }
    }

    @Test
    void timerFiresWhileReadinessKeepsTheLoopBusy() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        pair.send(1);
        // Never read: the registration is ready on every turn.
        loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        long deadline = armIn(loop, 20 * MILLI);
        long firedAt = nextFiring(loop, "onTimer while a registration is ready on every turn");
        assertTrue(firedAt - deadline >= 0, "fired early");
    }

    @Test
    void eachLoopThreadHasItsOwnTimer() {
        assumeTrue(fixture().maxServiceThreads() >= 2, "needs two service threads");
        LoopUnderTest backend = session().startedLoop(2);
        ThreadProbe armed = backend.probe(0);
        ThreadProbe disarmed = backend.probe(1);
        armIn(armed, 50 * MILLI);
        long deadline = armIn(disarmed, 50 * MILLI);
        disarmed.run("disarm", disarmed.loopThread::disarmTimer);

        nextFiring(armed, "onTimer of thread 0");
        outlive(disarmed, deadline);
        assertEquals(0, disarmed.timers.get(), "onTimer calls of thread 1, whose timer was disarmed");
        assertEquals(1, armed.timers.get(), "onTimer calls of thread 0");
    }
}
