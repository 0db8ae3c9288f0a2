package io.guestloop.tck;

import io.guestloop.internal.GuardedRegistration;

import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Two sockets made ready in the same turn, each registered with a listener that, when called, acts
 * on the other registration: the set-up of the contracts about what one callback does to readiness
 * the loop has already collected for another. Starting it waits until either listener was called,
 * then lets the loop settle.
 *
 * <p><b>Threading:</b> built on the test thread; the action runs on the loop thread.
 */
final class SameTurnPair {

    /** What the listener that is called does. */
    interface Action {
        /**
         * @param self    the called listener's registration
         * @param other   the other one, ready in the same turn
         * @param channel the called listener's channel
         */
        void run(GuardedRegistration self, GuardedRegistration other, SocketChannel channel) throws Exception;
    }

    final RecordingListener first;
    final RecordingListener second;

    private SameTurnPair(RecordingListener first, RecordingListener second) {
        this.first = first;
        this.second = second;
    }

    /** Registers both with {@code interest}, makes both readable, and waits for the first report. */
    static SameTurnPair start(ThreadProbe loop, TckSession session, int interest, Action action) throws Exception {
        SocketPair firstPair = session.socketPair();
        SocketPair secondPair = session.socketPair();
        firstPair.send(1);
        secondPair.send(1);
        AtomicReference<GuardedRegistration> firstRegistration = new AtomicReference<>();
        AtomicReference<GuardedRegistration> secondRegistration = new AtomicReference<>();
        CountDownLatch anyCalled = new CountDownLatch(1);
        RecordingListener first = loop.listener((registration, ops) -> {
            anyCalled.countDown();
            act(action, registration, secondRegistration.get(), firstPair.near);
        });
        RecordingListener second = loop.listener((registration, ops) -> {
            anyCalled.countDown();
            act(action, registration, firstRegistration.get(), secondPair.near);
        });
        loop.run("register both", () -> {
            firstRegistration.set(loop.register(firstPair.near, interest, first));
            secondRegistration.set(loop.register(secondPair.near, interest, second));
        });
        Timeouts.await(anyCalled, "a report on either registration");
        loop.settle();
        return new SameTurnPair(first, second);
    }

    private static void act(Action action, GuardedRegistration self, GuardedRegistration other, SocketChannel channel) {
        try {
            action.run(self, other, channel);
        } catch (Exception e) {
            throw new IllegalStateException("the same-turn action failed", e);
        }
    }
}
