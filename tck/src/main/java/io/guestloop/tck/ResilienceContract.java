package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.SelectionKey;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A callback that throws costs nothing but itself: the backend logs it and goes on serving wakeups,
 * timers and every other registration.
 */
abstract class ResilienceContract extends ContractGroup {

    /** What the kit throws on purpose; backends log it, which is expected in the test output. */
    static final class DeliberateFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeliberateFailure(String where) {
            super("thrown on purpose by the conformance kit from " + where);
        }
    }

    /** A registration whose listener throws on its first call and cancels itself on the next. */
    private static CountDownLatch throwingRegistration(TckSession session, ThreadProbe loop) throws Exception {
        SocketPair pair = session.socketPair();
        CountDownLatch thrown = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RecordingListener listener = loop.listener((registration, ops) -> {
            if (calls.incrementAndGet() == 1) {
                thrown.countDown();
                throw new DeliberateFailure("onReady");
            }
            registration.cancel();
        });
        loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        pair.send(1);
        Timeouts.await(thrown, "onReady to throw");
        return thrown;
    }

    @Test
    void exceptionFromOnReadyLeavesWakeupsWorking() throws Exception {
        ThreadProbe loop = startedThread();
        throwingRegistration(session(), loop);
        loop.passTurns(2);
    }

    @Test
    void exceptionFromOnReadyStillServesOtherRegistrations() throws Exception {
        ThreadProbe loop = startedThread();
        throwingRegistration(session(), loop);
        SocketPair other = session().socketPair();
        RecordingListener listener = loop.listener((registration, ops) -> SocketPair.drain(other.near));
        loop.call("register another", () -> loop.register(other.near, SelectionKey.OP_READ, listener));
        other.send(1);
        assertEquals(SelectionKey.OP_READ, listener.nextReadyOps("READ on another registration after a throw"));
    }

    @Test
    void exceptionFromOnTimerLeavesTheLoopRunning() throws Exception {
        ThreadProbe loop = startedThread();
        loop.onTimerAction = () -> {
            if (loop.timers.get() == 1) {
                throw new DeliberateFailure("onTimer");
            }
        };
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime()));
        loop.nextTimerFiring("the onTimer that throws");
        loop.passTurns(1);
        loop.run("arm again", () -> loop.loopThread.armTimer(System.nanoTime()));
        loop.nextTimerFiring("onTimer armed after onTimer threw");
        assertEquals(2, loop.timers.get(), "onTimer calls: the throwing one and the one armed after it");
    }

    @Test
    void exceptionFromOnWakeupLeavesTheLoopRunning() {
        ThreadProbe loop = startedThread();
        CountDownLatch thrown = new CountDownLatch(1);
        loop.onWakeupAction = () -> {
            if (thrown.getCount() > 0) {
                thrown.countDown();
                throw new DeliberateFailure("onWakeup");
            }
        };
        loop.loopThread.wakeup();
        Timeouts.await(thrown, "onWakeup to throw");
        loop.passTurns(1);
        CountDownLatch fired = new CountDownLatch(1);
        loop.onTimerAction = fired::countDown;
        loop.run("arm", () -> loop.loopThread.armTimer(System.nanoTime()));
        Timeouts.await(fired, "onTimer after onWakeup threw");
    }
}
