package io.guestloop.tck;

import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.Mailbox;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.Timer;
import io.guestloop.WrongThreadException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for the service thread: cancel-service, the mailbox, guest timers, the
 * thread rule and the watchdog.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestServiceContract extends GuestSocketContract {

    @Test
    void cancelServiceReachesEveryServiceThreadOnItsOwnThread() {
        int n = threadsUpTo(4);
        AtomicIntegerArray calls = new AtomicIntegerArray(n);
        List<String> wrong = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(n);
        GuestHarness h = harness(n, b -> b.protocol(new Protocol() {
            @Override
            public void onEventWaitCancelled(ServiceThread t) {
                if (!t.inLoop()) {
                    wrong.add(Thread.currentThread().getName());
                }
                if (calls.getAndIncrement(t.index()) == 0) {
                    all.countDown();
                }
            }
        }));
        h.context().cancelService();
        Timeouts.await(all, "onEventWaitCancelled on each of " + n + " service threads");
        assertEquals(List.of(), wrong);
    }

    @Test
    void mailboxPostsFromManyThreadsAreNeverLostAndKeepEachSendersOrder() throws Exception {
        int senders = 8;
        int each = 10_000;
        int[] next = new int[senders];
        List<String> disorder = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(senders * each);
        GuestHarness h = harness(1);
        Mailbox<int[]> box = h.call(0, () -> Mailbox.<int[]>open(h.thread(0), m -> {
            if (next[m[0]]++ != m[1]) {
                disorder.add("sender " + m[0] + " message " + m[1]);
            }
            all.countDown();
        }));
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            runs.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    box.post(new int[] {sender, i});
                }
            }, r -> new Thread(r, "sender-" + sender).start()));
        }
        runs.forEach(r -> Timeouts.await(r, "a sender"));
        Timeouts.await(all, "every posted message");
        assertEquals(List.of(), disorder);
    }

    @Test
    void aSenderThatNeverStopsCannotKeepTheLoopFromItsTimers() {
        java.util.concurrent.atomic.AtomicBoolean timerFired = new java.util.concurrent.atomic.AtomicBoolean();
        GuestHarness h = harness(1);
        long[] sink = new long[1];
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        Mailbox<Long> box = h.call(0, () -> Mailbox.<Long>open(h.thread(0), m -> {
            for (int i = 0; i < 3_000; i++) { // a receiver far slower than its sender
                sink[0] += m * i;
            }
            received.incrementAndGet();
        }));
        h.run(0, () -> h.thread(0).schedule(Duration.ofMillis(5), () -> timerFired.set(true)));
        // The sender keeps up to 100,000 messages waiting, so the loop always has mail to drain, for
        // as long as the timer has not fired: a loop that drained mail before its timers would hold
        // it off for the whole 30 s, however the machine schedules the two threads.
        long posted = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!timerFired.get() && System.nanoTime() < deadline) {
            if (posted - received.get() < 100_000) {
                box.post(posted++);
            } else {
                Thread.onSpinWait();
            }
        }
        assertTrue(timerFired.get(), "a guest timer due in 5 ms did not fire in 30 s while " + posted + " messages were posted");
    }

    @Test
    void handlerSharedByManyConnectionsIsToldOncePerCancel() throws Exception {
        // Protocols are told first in each dispatch, so this counter names the dispatch in progress.
        int[] dispatch = new int[1];
        List<Integer> seenIn = new CopyOnWriteArrayList<>();
        CountDownLatch toldOnce = new CountDownLatch(1);
        CountDownLatch toldTwice = new CountDownLatch(2);
        ConnectionHandler shared = new ConnectionHandler() {
            @Override
            public void onEventWaitCancelled(ServiceThread t) {
                seenIn.add(dispatch[0]);
                toldOnce.countDown();
                toldTwice.countDown();
            }
        };
        GuestHarness h = harness(1, b -> b.protocol(new Protocol() {
            @Override
            public void onEventWaitCancelled(ServiceThread t) {
                dispatch[0]++;
            }
        }));
        for (int i = 0; i < 3; i++) {
            Pipe p = h.context().channelProvider().openPipe();
            closeLater(p.sink());
            h.run(0, () -> h.thread(0).adopt(p.source(), shared));
        }
        // Cancels coalesce, and a mailbox drains what is posted while it drains, so calls do not map
        // to dispatches: wait for the handler itself. A cancel made after it was told makes a new
        // dispatch (no call is lost), so it is told a second time.
        h.context().cancelService();
        Timeouts.await(toldOnce, "the shared handler to be told");
        h.context().cancelService();
        Timeouts.await(toldTwice, "the shared handler to be told again after a later cancel");
        List<Integer> ids = h.call(0, () -> new ArrayList<>(seenIn));
        // Cancels may coalesce, so count dispatches, not calls: the handler is in every one of them
        // from the first it saw (no gap) and never twice in one (no repeat).
        assertTrue(ids.size() >= 1, "the shared handler was told");
        assertEquals(ids.size(), ids.stream().distinct().count(), "told more than once in one dispatch: " + ids);
        assertEquals(ids.get(ids.size() - 1) - ids.get(0) + 1, ids.size(), "missed a dispatch: " + ids);
    }

    /** A protocol that is also the handler of its connections: counts what it is told in each dispatch. */
    private static final class BothRoles implements Protocol, ConnectionHandler {
        final java.util.Map<Integer, Integer> toldIn = new java.util.HashMap<>(); // loop thread only
        final int[] dispatch;

        BothRoles(int[] dispatch) {
            this.dispatch = dispatch;
        }

        @Override
        public void onEventWaitCancelled(ServiceThread thread) {
            toldIn.merge(dispatch[0], 1, Integer::sum);
        }
    }

    @Test
    void objectThatIsProtocolAndBoundHandlerIsToldOncePerDispatch() throws Exception {
        int[] dispatch = new int[1];
        BothRoles both = new BothRoles(dispatch);
        List<String> twice = new CopyOnWriteArrayList<>();
        java.util.concurrent.Semaphore dispatches = new java.util.concurrent.Semaphore(0);
        GuestHarness h = harness(1, b -> b.protocol(new Protocol() {
            @Override
            public void onEventWaitCancelled(ServiceThread t) {
                // Told first in every dispatch: the previous one is complete, so check it, then name this one.
                Integer n = both.toldIn.get(dispatch[0]);
                if (n != null && n > 1) {
                    twice.add("dispatch " + dispatch[0] + ": " + n + " times");
                }
                dispatch[0]++;
                dispatches.release();
            }
        }).protocol(both));
        Pipe p = h.context().channelProvider().openPipe();
        closeLater(p.sink());
        h.run(0, () -> h.thread(0).adopt(p.source(), both));
        dispatches.drainPermits();
        for (int i = 0; i < 4; i++) {
            h.context().cancelService(); // made after the last dispatch began: brings another (no call is lost)
            assertTrue(dispatches.tryAcquire(Timeouts.AWAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        assertEquals(List.of(), twice);
    }

    @Test
    void guestMethodOffItsThreadThrowsNamingBothThreads() {
        GuestHarness h = harness(1);
        String loopName = h.thread(0).name();
        WrongThreadException e = assertThrows(WrongThreadException.class,
                () -> h.thread(0).schedule(Duration.ofMillis(1), () -> { }));
        assertTrue(e.getMessage().contains(loopName), e.getMessage());
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
        assertTrue(e.getMessage().contains("cancelService"), e.getMessage());
    }

    @Test
    void thousandsOfTimersFireInDeadlineOrderAndNeverEarly() {
        int count = 5_000;
        List<long[]> fired = new ArrayList<>(count); // loop thread only: {deadline, firedAt}
        CountDownLatch all = new CountDownLatch(count);
        GuestHarness h = harness(1);
        Random random = new Random(42);
        h.run(0, () -> {
            for (int i = 0; i < count; i++) {
                Timer[] self = new Timer[1];
                self[0] = h.thread(0).schedule(Duration.ofMillis(random.nextInt(300)), () -> {
                    fired.add(new long[] {self[0].deadlineNanos(), System.nanoTime()});
                    all.countDown();
                });
            }
        });
        Timeouts.await(all, count + " timers");
        List<long[]> copy = h.call(0, () -> new ArrayList<>(fired));
        for (int i = 0; i < copy.size(); i++) {
            assertTrue(copy.get(i)[1] - copy.get(i)[0] >= 0, "timer " + i + " fired before its deadline");
            if (i > 0) {
                assertTrue(copy.get(i)[0] - copy.get(i - 1)[0] >= 0, "timer " + i + " fired out of deadline order");
            }
        }
    }

    @Test
    void cancelledTimerNeverRunsEvenWhenDueInTheSameTurn() {
        AtomicInteger ran = new AtomicInteger();
        List<Integer> wrong = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        GuestHarness h = harness(1);
        h.run(0, () -> {
            ServiceThread t = h.thread(0);
            Timer[] timers = new Timer[200];
            for (int i = 0; i < timers.length; i++) {
                int id = i;
                // Same deadline for all: the first one cancels the odd ones, which are due in this very turn.
                timers[i] = t.schedule(Duration.ofMillis(20), () -> {
                    if (id % 2 == 1) {
                        wrong.add(id);
                    }
                    ran.incrementAndGet();
                    if (id == 0) {
                        for (int j = 1; j < timers.length; j += 2) {
                            timers[j].cancel();
                        }
                    }
                });
            }
            assertTrue(timers[3].isPending());
            t.schedule(Duration.ofMillis(60), done::countDown);
        });
        Timeouts.await(done, "the last timer");
        assertEquals(List.of(), wrong, "cancelled timers ran");
        assertEquals(100, ran.get());
    }

    @Test
    void timerCancelReportsWhetherItCancelled() {
        GuestHarness h = harness(1);
        boolean[] results = h.call(0, () -> {
            Timer t = h.thread(0).schedule(Duration.ofHours(1), () -> { });
            boolean first = t.cancel();
            boolean second = t.cancel();
            return new boolean[] {first, second, t.isPending()};
        });
        assertTrue(results[0]);
        assertFalse(results[1]);
        assertFalse(results[2]);
    }

    @Test
    void callbackHoldingTheLoopIsReportedByTheWatchdogWithItsStack() throws Exception {
        CompletableFuture<RecordedEvent> event = new CompletableFuture<>();
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable("io.guestloop.BlockedLoop");
            rs.onEvent("io.guestloop.BlockedLoop", event::complete);
            rs.startAsync();
            GuestHarness h = harness(1, b -> b.watchdogThreshold(Duration.ofMillis(50)));
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> blocked = h.submit(0, () -> holdTheLoopUntil(release));
            RecordedEvent e = Timeouts.await(event, "the watchdog's BlockedLoop event");
            release.countDown();
            Timeouts.await(blocked, "the blocking callback to return");
            assertTrue(e.getString("stack").contains("holdTheLoopUntil"), e.getString("stack"));
            assertTrue(e.getLong("blockedNanos") >= 50_000_000L);
            assertEquals(fixture.backendName(), e.getString("backend"));
        }
    }

    private static Object holdTheLoopUntil(CountDownLatch release) throws InterruptedException {
        // Deliberately blocks the loop thread: the behaviour under test.
        return release.await(Timeouts.AWAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Test
    void unknownBackendNameFailsAtBuildListingTheProvidersFound() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GuestContext.builder().backend("no-such-loop").build());
        assertTrue(e.getMessage().contains("no-such-loop"), e.getMessage());
        assertTrue(e.getMessage().contains(fixture.backendName()), "lists the providers found: " + e.getMessage());
    }
}
