package io.guestloop.nio;

import io.guestloop.spi.Registration;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop thread of the nio backend: readiness, registrations, the timer and wakeups. */
class SelectorLoopTest {

    private final LoopDriver driver = LoopDriver.started();
    private final List<SocketChannel[]> pairs = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        driver.close();
        LoopDriver.closeAll(pairs.toArray(new SocketChannel[0][]));
    }

    private SocketChannel readable() throws Exception {
        SocketChannel[] pair = LoopDriver.readablePair();
        pairs.add(pair);
        return pair[0];
    }

    @Test
    void readReadinessIsDeliveredOnTheLoopThread() throws Exception {
        SocketChannel channel = readable();
        CompletableFuture<Thread> deliveredOn = new CompletableFuture<>();
        AtomicInteger ops = new AtomicInteger();
        Thread loopThread = driver.call(() -> {
            driver.loop.register(channel, SelectionKey.OP_READ, (registration, readyOps) -> {
                ops.set(readyOps);
                registration.cancel();
                deliveredOn.complete(Thread.currentThread());
            });
            return Thread.currentThread();
        });
        assertSame(loopThread, Timeouts.await(deliveredOn, "OP_READ readiness"));
        assertEquals(SelectionKey.OP_READ, ops.get());
    }

    @Test
    void unconsumedReadinessIsDeliveredAgainOnEveryTurn() throws Exception {
        SocketChannel channel = readable();
        CountDownLatch threeTimes = new CountDownLatch(3);
        driver.call(() -> driver.loop.register(channel, SelectionKey.OP_READ, (registration, readyOps) -> {
            threeTimes.countDown();
            if (threeTimes.getCount() == 0) {
                registration.cancel();
            }
        }));
        Timeouts.await(threeTimes, "the same unread data reported on three turns");
    }

    @Test
    void addingInterestInAnOpAlreadyReadyDeliversItWithoutFurtherIo() throws Exception {
        SocketChannel channel = readable();
        CompletableFuture<Integer> delivered = new CompletableFuture<>();
        Registration registration = driver.call(() -> driver.loop.register(channel, 0, (r, readyOps) -> {
            r.cancel();
            delivered.complete(readyOps);
        }));
        // A turn with interest 0 delivers nothing although the channel is readable.
        driver.call(() -> null);
        assertFalse(delivered.isDone(), "readiness delivered for an empty interest set");
        driver.call(() -> {
            registration.interestOps(SelectionKey.OP_READ);
            return null;
        });
        assertEquals(SelectionKey.OP_READ, Timeouts.await(delivered, "OP_READ after interest was added"));
    }

    @Test
    void cancelStopsEventsForTheChannel() throws Exception {
        SocketChannel channel = readable();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        driver.call(() -> driver.loop.register(channel, SelectionKey.OP_READ, (registration, readyOps) -> {
            calls.incrementAndGet();
            registration.cancel();
            registration.cancel(); // idempotent
            first.countDown();
        }));
        Timeouts.await(first, "the first readiness");
        // Two more full turns: a registration left in place would be reported again (unread data).
        driver.call(() -> null);
        driver.call(() -> null);
        assertEquals(1, calls.get());
    }

    @Test
    void cancelDuringATurnSuppressesAKeyAlreadySelectedInThatTurn() throws Exception {
        SocketChannel a = readable();
        SocketChannel b = readable();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        AtomicReference<Registration[]> both = new AtomicReference<>();
        driver.call(() -> {
            // Both channels already hold data, so one select usually reports both keys; whichever
            // listener runs first cancels the other, which must then stay silent.
            Registration[] registrations = new Registration[2];
            both.set(registrations);
            registrations[0] = driver.loop.register(a, SelectionKey.OP_READ, (r, ops) -> cancelBoth(both, calls, first));
            registrations[1] = driver.loop.register(b, SelectionKey.OP_READ, (r, ops) -> cancelBoth(both, calls, first));
            return null;
        });
        Timeouts.await(first, "the first readiness");
        driver.call(() -> null);
        assertEquals(1, calls.get());
    }

    private static void cancelBoth(AtomicReference<Registration[]> both, AtomicInteger calls, CountDownLatch first) {
        calls.incrementAndGet();
        for (Registration r : both.get()) {
            r.cancel();
        }
        first.countDown();
    }

    @Test
    void aChannelCancelledAndRegisteredAgainOnTheSameLoopIsWatched() throws Exception {
        SocketChannel channel = readable();
        CompletableFuture<Integer> delivered = new CompletableFuture<>();
        driver.call(() -> {
            driver.loop.register(channel, SelectionKey.OP_READ, (r, ops) -> { }).cancel();
            return driver.loop.register(channel, SelectionKey.OP_READ, (r, ops) -> {
                r.cancel();
                delivered.complete(ops);
            });
        });
        assertEquals(SelectionKey.OP_READ, Timeouts.await(delivered, "readiness after registering again"));
    }

    @Test
    void registerOffTheLoopThreadThrowsNamingBothThreads() throws Exception {
        SocketChannel channel = readable();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> driver.loop.register(channel, SelectionKey.OP_READ, (r, ops) -> { }));
        assertTrue(e.getMessage().contains(driver.loop.threadName()), e.getMessage());
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
    }

    @Test
    void registerRejectsOpsTheChannelDoesNotSupport() throws Exception {
        SocketChannel channel = readable();
        ExecutionException e = assertThrows(ExecutionException.class, () -> driver.submit(
                () -> driver.loop.register(channel, SelectionKey.OP_ACCEPT, (r, ops) -> { }))
                .get(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void interestOpsRejectsUnsupportedOpsAndUseAfterCancel() throws Exception {
        SocketChannel channel = readable();
        driver.call(() -> {
            Registration registration = driver.loop.register(channel, 0, (r, ops) -> { });
            assertThrows(IllegalArgumentException.class, () -> registration.interestOps(SelectionKey.OP_ACCEPT));
            registration.cancel();
            assertFalse(registration.isValid());
            assertThrows(IllegalStateException.class, () -> registration.interestOps(SelectionKey.OP_READ));
            return null;
        });
    }

    @Test
    void timerNeverFiresBeforeItsDeadline() {
        // Odd fractions of a millisecond check that the select timeout is rounded up, not down.
        long[] delaysNanos = {300_000, 1_500_000, 2_700_000, 5_900_000, 10_100_000};
        for (int round = 0; round < 4; round++) {
            for (long delay : delaysNanos) {
                AtomicLong deadline = new AtomicLong();
                CompletableFuture<Long> firedAt = new CompletableFuture<>();
                driver.timerAction = () -> firedAt.complete(System.nanoTime());
                driver.call(() -> {
                    deadline.set(System.nanoTime() + delay);
                    driver.loop.armTimer(deadline.get());
                    return null;
                });
                long early = deadline.get() - Timeouts.await(firedAt, "the timer");
                assertTrue(early <= 0, "timer fired " + early + " ns before its deadline");
            }
        }
    }

    @Test
    void aDeadlineAlreadyPastFiresOnTheNextTurn() {
        CountDownLatch fired = new CountDownLatch(1);
        driver.timerAction = fired::countDown;
        driver.call(() -> {
            driver.loop.armTimer(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
            return null;
        });
        Timeouts.await(fired, "a timer armed in the past");
    }

    @Test
    void armingAgainReplacesTheEarlierDeadline() {
        AtomicLong second = new AtomicLong();
        CompletableFuture<Long> firedAt = new CompletableFuture<>();
        driver.timerAction = () -> firedAt.complete(System.nanoTime());
        driver.call(() -> {
            driver.loop.armTimer(System.nanoTime() - 1);
            second.set(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30));
            driver.loop.armTimer(second.get());
            return null;
        });
        assertTrue(Timeouts.await(firedAt, "the re-armed timer") - second.get() >= 0, "fired for the replaced deadline");
        driver.call(() -> null);
        assertEquals(1, driver.timers.get());
    }

    @Test
    void aDisarmedTimerDoesNotFire() {
        driver.call(() -> {
            driver.loop.armTimer(System.nanoTime() - 1); // would fire on this very turn
            driver.loop.disarmTimer();
            return null;
        });
        driver.call(() -> null);
        driver.call(() -> null);
        assertEquals(0, driver.timers.get());
    }

    @Test
    void wakeupFromManyThreadsIsNeverLost() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        AtomicInteger posted = new AtomicInteger();
        CountDownLatch sawAll = new CountDownLatch(1);
        // Each waker counts before it wakes, so the onWakeup that follows the last wakeup() must
        // see the total: a lost wakeup leaves the latch closed.
        driver.wakeupAction = () -> {
            if (posted.get() == threads * perThread) {
                sawAll.countDown();
            }
        };
        List<Thread> wakers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread waker = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    posted.incrementAndGet();
                    driver.loop.wakeup();
                }
            }, "waker-" + t);
            wakers.add(waker);
            waker.start();
        }
        for (Thread waker : wakers) {
            waker.join(Timeouts.AWAIT.toMillis());
        }
        Timeouts.await(sawAll, "an onWakeup after the last of " + threads * perThread + " wakeups");
    }

    @Test
    void wakeupsPiledUpDuringOnWakeupCoalesceIntoOneMore() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> blockedAt = driver.submit(() -> {
            inside.countDown();
            Timeouts.await(release, "the test to release the loop");
            return driver.wakeups.get();
        });
        Timeouts.await(inside, "the loop to run the blocking task");
        Thread[] wakers = new Thread[4];
        for (int t = 0; t < wakers.length; t++) {
            wakers[t] = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    driver.loop.wakeup();
                }
            });
            wakers[t].start();
        }
        for (Thread waker : wakers) {
            waker.join(Timeouts.AWAIT.toMillis());
        }
        release.countDown();
        int before = Timeouts.await(blockedAt, "the blocking task");
        // The piled-up calls make one onWakeup; this task needs at most one more.
        int at = driver.call(() -> driver.wakeups.get());
        assertTrue(at - before <= 2, "4000 wakeups during one onWakeup made " + (at - before - 1) + " more, expected 1");
    }

    @Test
    void wakeupCalledFromOtherThreadDuringOnWakeupProducesAnother() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        driver.submit(() -> {
            inside.countDown();
            Timeouts.await(release, "the test to release the loop");
            return null;
        });
        Timeouts.await(inside, "the loop to run the blocking task");
        int during = driver.wakeups.get();
        CountDownLatch another = new CountDownLatch(1);
        driver.wakeupAction = () -> {
            if (driver.wakeups.get() > during) {
                another.countDown();
            }
        };
        driver.loop.wakeup();
        release.countDown();
        Timeouts.await(another, "an onWakeup for the wakeup() made during onWakeup");
    }

    @Test
    void wakeupCalledOnTheLoopDuringOnWakeupProducesAnother() {
        CountDownLatch twice = new CountDownLatch(2);
        driver.wakeupAction = () -> {
            twice.countDown();
            if (twice.getCount() == 1) {
                driver.loop.wakeup();
            }
        };
        driver.loop.wakeup();
        Timeouts.await(twice, "a second onWakeup asked for from inside the first");
    }

    @Test
    void anExceptionFromACallbackLeavesTheLoopServing() throws Exception {
        SocketChannel channel = readable();
        CountDownLatch thrown = new CountDownLatch(2);
        driver.timerAction = () -> {
            thrown.countDown();
            throw new IllegalStateException("thrown on purpose by onTimer");
        };
        driver.call(() -> {
            driver.loop.register(channel, SelectionKey.OP_READ, (registration, ops) -> {
                registration.cancel();
                thrown.countDown();
                throw new IllegalStateException("thrown on purpose by onReady");
            });
            driver.loop.armTimer(System.nanoTime());
            return null;
        });
        Timeouts.await(thrown, "both callbacks to throw");
        CountDownLatch wakeupThrew = new CountDownLatch(1);
        driver.wakeupAction = () -> {
            if (wakeupThrew.getCount() == 1) {
                wakeupThrew.countDown();
                throw new IllegalStateException("thrown on purpose by onWakeup");
            }
        };
        driver.loop.wakeup();
        Timeouts.await(wakeupThrew, "onWakeup to throw");
        assertEquals("still serving", driver.call(() -> "still serving"));
    }

    @Test
    void writeReadinessFollowsTheInterestSet() throws Exception {
        SocketChannel[] pair = LoopDriver.socketPair();
        pairs.add(pair);
        CompletableFuture<Integer> delivered = new CompletableFuture<>();
        driver.call(() -> driver.loop.register(pair[0], SelectionKey.OP_READ | SelectionKey.OP_WRITE, (r, ops) -> {
            r.cancel();
            delivered.complete(ops);
        }));
        // Writable at once, nothing to read: only OP_WRITE is reported.
        assertEquals(SelectionKey.OP_WRITE, Timeouts.await(delivered, "OP_WRITE readiness"));
        pair[1].write(ByteBuffer.wrap(new byte[] {9}));
    }
}
