package io.guestloop.netty;

import io.guestloop.spi.LoopThread;
import io.guestloop.spi.Registration;
import io.guestloop.tck.Timeouts;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's own checks of the SPI contract on one kind of Netty host group; a subclass per
 * kind. The shared conformance kit checks the same contract for every backend; these tests also look
 * at the Netty side (what is left registered or scheduled on the host's loop).
 *
 * <p><b>Threading:</b> JUnit runs the methods on the test thread; SPI calls that need the loop
 * thread are submitted to it.
 */
abstract class NettyLoopThreadContract {

    private NettyFixture fixture;
    private NettyLoopOps ops;
    private NettyLoopThread thread;
    private RecordingEvents events;
    private EventLoop loop;
    private ServerSocketChannel server;
    private final List<SocketChannel> sockets = new ArrayList<>();

    /** The kind of host group under test. */
    abstract NettyFixture.Host host();

    @BeforeEach
    void startFirstThread() throws IOException {
        fixture = new NettyFixture(host());
        ops = (NettyLoopOps) fixture.createLoopOps(fixture.maxServiceThreads());
        thread = ops.threads().get(0);
        loop = fixture.loop(0);
        events = new RecordingEvents();
        thread.start(events);
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void closeEverything() throws IOException {
        try {
            Timeouts.await(ops.close(), "the backend to close");
        } finally {
            for (SocketChannel s : sockets) {
                s.close();
            }
            server.close();
            fixture.close();
        }
    }

    // ---- readiness ----

    @Test
    void readReadinessArrivesOnTheHostLoopThread() throws Exception {
        Thread hostThread = Timeouts.await(fixture.runHostTask(0), "a host task");
        Pair pair = pair();
        CompletableFuture<String> read = new CompletableFuture<>();
        CompletableFuture<Thread> readOn = new CompletableFuture<>();
        onLoop(() -> thread.register(pair.guest, SelectionKey.OP_READ, (reg, readyOps) -> {
            ByteBuffer buf = ByteBuffer.allocate(64);
            try {
                ((SocketChannel) reg.channel()).read(buf);
            } catch (IOException e) {
                read.completeExceptionally(e);
            }
            readOn.complete(Thread.currentThread());
            read.complete(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
            reg.cancel();
        }));
        pair.client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("hello", Timeouts.await(read, "the guest to read"));
        assertSame(hostThread, Timeouts.await(readOn, "the read callback"));
    }

    @Test
    void unreadDataIsReportedAgainOnEveryTurn() throws Exception {
        Pair pair = pair();
        CountDownLatch reported = new CountDownLatch(3);
        onLoop(() -> thread.register(pair.guest, SelectionKey.OP_READ, (reg, readyOps) -> {
            reported.countDown();
            if (reported.getCount() == 0) {
                reg.cancel();
            }
        }));
        pair.client.write(ByteBuffer.wrap(new byte[] {1}));
        Timeouts.await(reported, "the same unread byte to be reported three times");
    }

    @Test
    void cancelDropsReadinessAlreadyCollectedThisTurn() throws Exception {
        Pair a = pair();
        Pair b = pair();
        a.client.write(ByteBuffer.wrap(new byte[] {1}));
        b.client.write(ByteBuffer.wrap(new byte[] {2}));
        awaitReadable(a.guest);
        awaitReadable(b.guest);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        List<Registration> both = new CopyOnWriteArrayList<>();
        onLoop(() -> {
            // Both channels are readable before the next select, so both keys are collected in one
            // turn; whichever is handled first cancels the other.
            for (Pair p : List.of(a, b)) {
                both.add(thread.register(p.guest, SelectionKey.OP_READ, (reg, readyOps) -> {
                    calls.incrementAndGet();
                    both.forEach(Registration::cancel);
                    first.countDown();
                }));
            }
            return null;
        });
        Timeouts.await(first, "the first readiness callback");
        // Host tasks run only after the loop has handled every key it selected in that turn.
        onLoop(() -> null);
        waitTurns(2);
        assertEquals(1, calls.get(), "callbacks after cancel");
    }

    @Test
    void settingInterestInAnAlreadyReadyOpDeliversIt() throws Exception {
        Pair pair = pair();
        pair.client.write(ByteBuffer.wrap(new byte[] {1}));
        awaitReadable(pair.guest);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch deliveredOnce = new CountDownLatch(1);
        Registration reg = onLoop(() -> thread.register(pair.guest, 0, (r, readyOps) -> {
            calls.incrementAndGet();
            delivered.set(readyOps);
            r.cancel();
            deliveredOnce.countDown();
        }));
        waitTurns(2);
        assertEquals(0, calls.get(), "callbacks with an empty interest set");
        onLoop(() -> {
            reg.interestOps(SelectionKey.OP_READ);
            return null;
        });
        Timeouts.await(deliveredOnce, "readiness once interest is set");
        assertEquals(SelectionKey.OP_READ, delivered.get(), "ready ops");
    }

    @Test
    void interestOpsAfterCancelIsRefused() throws Exception {
        Pair pair = pair();
        Registration reg = onLoop(() -> thread.register(pair.guest, SelectionKey.OP_READ, (r, ops) -> { }));
        onLoop(() -> {
            reg.cancel();
            assertFalse(reg.isValid());
            assertThrows(IllegalStateException.class, () -> reg.interestOps(SelectionKey.OP_WRITE));
            return null;
        });
    }

    @Test
    void interestOpsOutsideTheValidOpsAreRefused() throws Exception {
        Pair pair = pair();
        onLoop(() -> assertThrows(IllegalArgumentException.class,
                () -> thread.register(pair.guest, SelectionKey.OP_ACCEPT, (r, ops) -> { })));
    }

    @Test
    void registerOffTheLoopThreadIsRefused() throws Exception {
        Pair pair = pair();
        assertThrows(IllegalStateException.class, () -> thread.register(pair.guest, SelectionKey.OP_READ, (r, ops) -> { }));
    }

    @Test
    void exceptionFromReadyListenerIsLoggedAndTheLoopGoesOn() throws Exception {
        Pair pair = pair();
        CountDownLatch calledTwice = new CountDownLatch(2);
        onLoop(() -> thread.register(pair.guest, SelectionKey.OP_READ, (reg, readyOps) -> {
            calledTwice.countDown();
            if (calledTwice.getCount() == 0) {
                reg.cancel();
            }
            throw new IllegalStateException("thrown on purpose by the test");
        }));
        pair.client.write(ByteBuffer.wrap(new byte[] {1}));
        Timeouts.await(calledTwice, "a throwing listener to be called again");
        Timeouts.await(fixture.runHostTask(0), "a host task after the throw");
    }

    // ---- timer ----

    @Test
    void timerNeverFiresBeforeItsDeadline() throws Exception {
        CompletableFuture<Long> firedAt = new CompletableFuture<>();
        events.onTimer = () -> firedAt.complete(System.nanoTime());
        long deadline = onLoop(() -> {
            long d = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            thread.armTimer(d);
            return d;
        });
        long fired = Timeouts.await(firedAt, "the timer");
        assertTrue(fired - deadline >= 0, "fired " + (deadline - fired) + " ns early");
    }

    @Test
    void rearmingLaterReplacesTheEarlierDeadline() throws Exception {
        CompletableFuture<Long> firedAt = new CompletableFuture<>();
        events.onTimer = () -> firedAt.complete(System.nanoTime());
        long later = onLoop(() -> {
            long now = System.nanoTime();
            thread.armTimer(now + TimeUnit.MILLISECONDS.toNanos(5));
            long d = now + TimeUnit.MILLISECONDS.toNanos(150);
            thread.armTimer(d);
            return d;
        });
        long fired = Timeouts.await(firedAt, "the re-armed timer");
        assertTrue(fired - later >= 0, "fired " + (later - fired) + " ns before the re-armed deadline");
        waitTurns(2);
        assertEquals(1, events.timers.get(), "onTimer calls");
    }

    @Test
    void rearmingEarlierFiresAtTheEarlierDeadline() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        events.onTimer = fired::countDown;
        onLoop(() -> {
            long now = System.nanoTime();
            thread.armTimer(now + TimeUnit.HOURS.toNanos(1));
            thread.armTimer(now + TimeUnit.MILLISECONDS.toNanos(10));
            return null;
        });
        Timeouts.await(fired, "the timer re-armed to an earlier deadline");
        assertEquals(Boolean.FALSE, onLoop(thread::timerScheduled), "a task left scheduled after the timer fired");
    }

    @Test
    void disarmHoldsAndLeavesNothingScheduled() throws Exception {
        CompletableFuture<Boolean> scheduledAfterDisarm = new CompletableFuture<>();
        onLoop(() -> {
            thread.armTimer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
            thread.disarmTimer();
            scheduledAfterDisarm.complete(thread.timerScheduled());
            return null;
        });
        assertFalse(Timeouts.await(scheduledAfterDisarm, "disarm"), "a task left on the host's scheduler");
        // A host task well past the disarmed deadline: the loop's own clock is the barrier, not a sleep.
        CompletableFuture<Integer> timersSeen = new CompletableFuture<>();
        loop.schedule(() -> timersSeen.complete(events.timers.get()), 100, TimeUnit.MILLISECONDS);
        assertEquals(0, Timeouts.await(timersSeen, "a host task after the deadline"), "onTimer calls after disarm");
    }

    @Test
    void pastDeadlineFiresOnTheNextTurnNotInsideArm() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        events.onTimer = fired::countDown;
        int duringArm = onLoop(() -> {
            thread.armTimer(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
            return events.timers.get();
        });
        assertEquals(0, duringArm, "onTimer calls inside armTimer");
        Timeouts.await(fired, "a timer armed in the past");
    }

    // ---- wakeup ----

    @Test
    void wakeupFromManyThreadsIsNeverLost() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        long total = (long) threads * perThread;
        AtomicLong posted = new AtomicLong();
        CountDownLatch allSeen = new CountDownLatch(1);
        events.onWakeup = () -> {
            if (posted.get() == total) {
                allSeen.countDown();
            }
        };
        List<Thread> posters = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                for (int n = 0; n < perThread; n++) {
                    posted.incrementAndGet();
                    thread.wakeup();
                }
            }, "poster-" + i);
            posters.add(t);
            t.start();
        }
        for (Thread t : posters) {
            t.join(Timeouts.AWAIT.toMillis());
        }
        Timeouts.await(allSeen, "an onWakeup after the last of " + total + " wakeups");
    }

    @Test
    void wakeupsPiledUpBeforeTheLoopGetsToThemCoalesce() {
        CompletableFuture<Integer> seenAfter = new CompletableFuture<>();
        loop.execute(() -> {
            for (int i = 0; i < 100; i++) {
                thread.wakeup();
            }
            // Wake-ups go through the loop's scheduled-task queue at deadline "now": a host task
            // scheduled later runs after the one wake-up the 100 calls made (and any extra one).
            loop.schedule(() -> seenAfter.complete(events.wakeups.get()), 20, java.util.concurrent.TimeUnit.MILLISECONDS);
        });
        assertEquals(1, Timeouts.await(seenAfter, "a host task after the wakeups"), "onWakeup calls");
    }

    @Test
    void wakeupDuringOnWakeupProducesAnother() {
        CountDownLatch second = new CountDownLatch(2);
        events.onWakeup = () -> {
            second.countDown();
            if (events.wakeups.get() == 1) {
                thread.wakeup();
            }
        };
        thread.wakeup();
        Timeouts.await(second, "the wakeup made inside onWakeup");
    }

    @Test
    void exceptionFromOnWakeupIsLoggedAndTheLoopGoesOn() {
        CountDownLatch threw = new CountDownLatch(1);
        events.onWakeup = () -> {
            threw.countDown();
            throw new IllegalStateException("thrown on purpose by the test");
        };
        thread.wakeup();
        Timeouts.await(threw, "the throwing onWakeup");
        CountDownLatch again = new CountDownLatch(1);
        events.onWakeup = again::countDown;
        thread.wakeup();
        Timeouts.await(again, "onWakeup after a throwing one");
        Timeouts.await(fixture.runHostTask(0), "a host task after the throw");
    }

    // ---- close and host shutdown ----

    @Test
    void closeCancelsEverythingAndLeavesTheHostLoopServing() throws Exception {
        Pair pair = pair();
        Registration reg = onLoop(() -> {
            thread.armTimer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
            return thread.register(pair.guest, SelectionKey.OP_READ, (r, ops) -> events.threads.add(Thread.currentThread()));
        });
        assertTrue(pair.guest.isRegistered(), "the guest channel is in the host loop's selector");

        Timeouts.await(ops.close(), "the backend to close");
        // On a loaded machine the 50 ms timer may fire before the close reaches the loop: that one counts for nothing.
        int beforeClose = events.threads.size();
        thread.wakeup();
        pair.client.write(ByteBuffer.wrap(new byte[] {1}));

        // The selector lets a cancelled key go at its next selection; each host task makes one.
        awaitOnLoop(() -> !pair.guest.isRegistered(), "the host loop's selector to let the guest channel go");
        assertEquals(0, (int) onLoop(thread::registrationCount), "registrations the guest thread still tracks");
        assertFalse(onLoop(thread::timerScheduled), "a guest timer left on the host's scheduler");
        assertFalse(onLoop(reg::isValid), "registration still valid after close");
        assertTrue(pair.guest.isOpen(), "closing the backend must not close the guest's channel");
        CompletableFuture<Integer> later = new CompletableFuture<>();
        loop.schedule(() -> later.complete(events.threads.size()), 100, TimeUnit.MILLISECONDS);
        assertEquals(beforeClose, Timeouts.await(later, "the host loop to keep serving"), "callbacks before + after close");
        assertFalse(loop.isShuttingDown(), "the guest shut the host loop down");
    }

    @Test
    void hostShutdownTellsTheGuestOnceOnTheLoopThread() throws Exception {
        Thread hostThread = Timeouts.await(fixture.runHostTask(0), "a host task");
        Pair pair = pair();
        onLoop(() -> thread.register(pair.guest, SelectionKey.OP_READ, (r, ops) -> { }));
        Timeouts.await(fixture.shutdownHost(), "the host to shut down");
        Timeouts.await(events.hostClosing, "onHostLoopClosing");
        assertEquals(1, events.hostClosings.get(), "onHostLoopClosing calls");
        assertSame(hostThread, events.threads.get(events.threads.size() - 1));
    }

    @Test
    void hostShutdownTellsEveryThreadEvenWithoutAChannel() {
        List<RecordingEvents> all = new ArrayList<>();
        all.add(events);
        List<Thread> hostThreads = new ArrayList<>();
        for (int i = 0; i < ops.threads().size(); i++) {
            hostThreads.add(Timeouts.await(fixture.runHostTask(i), "host task " + i));
            if (i > 0) {
                RecordingEvents e = new RecordingEvents();
                ops.threads().get(i).start(e);
                all.add(e);
            }
        }
        Timeouts.await(fixture.shutdownHost(), "the host to shut down");
        for (int i = 0; i < all.size(); i++) {
            Timeouts.await(all.get(i).hostClosing, "onHostLoopClosing of thread " + i);
            assertEquals(1, all.get(i).hostClosings.get(), "onHostLoopClosing calls of thread " + i);
            assertEquals(List.of(hostThreads.get(i)), all.get(i).threads, "threads that ran callbacks of thread " + i);
        }
    }

    @Test
    void everyServiceThreadIsOneHostLoopInIterationOrder() {
        for (int i = 0; i < ops.threads().size(); i++) {
            LoopThread t = ops.threads().get(i);
            EventLoop hostLoop = fixture.loop(i);
            assertTrue(Timeouts.await(CompletableFuture.supplyAsync(t::inLoop, hostLoop), "inLoop on loop " + i));
            assertFalse(t.inLoop(), "inLoop on the test thread");
        }
        assertEquals(fixture.maxServiceThreads(), ops.threads().size());
    }

    // ---- helpers ----

    private record Pair(SocketChannel client, SocketChannel guest) {
    }

    /** A connected pair over loopback: a blocking client end and a non-blocking end for the guest. */
    private Pair pair() throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel guest = server.accept();
        guest.configureBlocking(false);
        sockets.add(client);
        sockets.add(guest);
        return new Pair(client, guest);
    }

    /** Waits, without sleeping, until the kernel has the bytes for {@code channel}. */
    private static void awaitReadable(SocketChannel channel) throws IOException {
        try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
            SocketChannel dup = channel;
            dup.register(s, SelectionKey.OP_READ);
            assertTrue(s.select(Timeouts.AWAIT.toMillis()) > 0, "the data never became readable");
            dup.keyFor(s).cancel();
            s.selectNow();
        }
    }

    /** {@code n} wakeup round trips: everything the loop had to do before has been done. */
    private void waitTurns(int n) {
        for (int i = 0; i < n; i++) {
            int before = events.wakeups.get();
            CountDownLatch next = new CountDownLatch(1);
            Runnable previous = events.onWakeup;
            events.onWakeup = () -> {
                try {
                    previous.run();
                } finally {
                    if (events.wakeups.get() > before) {
                        next.countDown();
                    }
                }
            };
            thread.wakeup();
            Timeouts.await(next, "a turn of the loop");
            events.onWakeup = previous;
        }
    }

    /** Runs host tasks, one after another, until {@code condition} holds on the loop thread. */
    private void awaitOnLoop(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        while (!onLoop(condition::getAsBoolean)) {
            assertTrue(System.nanoTime() - deadline < 0, "timed out waiting for " + what);
        }
    }

    private <T> T onLoop(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return Timeouts.await(result, "a task on the loop");
    }
}
