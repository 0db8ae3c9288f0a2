package io.guestloop.example.legacy;

import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.spi.LoopOptions;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shim's own obligations, checked directly on a {@link LegacyLoop} run by the test. The SPI
 * conformance kit checks the whole contract; these pin down what this shim does to meet it.
 */
class LegacyLoopOpsTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RunningLoop running = RunningLoop.create("legacy-loop");
    private final LegacyLoopOps ops = new LegacyLoopOps(running.loop());
    private final Events events = new Events();

    /** Counts what the shim delivers; loop thread only, except the latches. */
    static final class Events implements ThreadEvents {
        final AtomicInteger wakeups = new AtomicInteger();
        final AtomicInteger timers = new AtomicInteger();
        final AtomicInteger hostClosing = new AtomicInteger();
        volatile Runnable onWakeupAction = () -> { };
        volatile CountDownLatch timerFired = new CountDownLatch(1);
        final CountDownLatch hostClosingSeen = new CountDownLatch(1);

        @Override
        public void onTimer() {
            timers.incrementAndGet();
            timerFired.countDown();
        }

        @Override
        public void onWakeup() {
            wakeups.incrementAndGet();
            onWakeupAction.run();
        }

        @Override
        public void onHostLoopClosing() {
            hostClosing.incrementAndGet();
            hostClosingSeen.countDown();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        running.close();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private void startBoth() {
        ops.start(events);
        running.start();
    }

    private Pipe readablePipe() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        toClose.add(pipe.source());
        toClose.add(pipe.sink());
        pipe.sink().write(ByteBuffer.wrap(new byte[] {7}));
        return pipe;
    }

    @Test
    void providerIsFoundByServiceLoaderAndAcceptsOnlyALegacyLoop() {
        LoopOpsProvider provider = ServiceLoader.load(LoopOpsProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("legacy"))
                .findFirst().orElseThrow(() -> new AssertionError("no provider named legacy on the class path"));
        assertTrue(provider.accepts(running.loop()));
        assertFalse(provider.accepts(null));
        assertFalse(provider.accepts(new Object()));
        LoopOps created = provider.create(LoopOptions.on(running.loop()));
        assertEquals(1, created.threads().size());
        Timeouts.await(created.close(), "closing an unstarted shim");
    }

    @Test
    void readinessIsDeliveredOnEveryTurnWhileTheChannelStaysReady() throws IOException {
        startBoth();
        Pipe pipe = readablePipe();
        CountDownLatch threeTurns = new CountDownLatch(3);
        running.call(() -> ops.register(pipe.source(), SelectionKey.OP_READ, (reg, ready) -> {
            assertEquals(SelectionKey.OP_READ, ready);
            threeTurns.countDown();
        }));
        Timeouts.await(threeTurns, "OP_READ on three turns without reading");
    }

    @Test
    void cancelSuppressesReadinessAlreadyCollectedInTheSameTurn() throws IOException {
        startBoth();
        Pipe first = Pipe.open();
        Pipe second = Pipe.open();
        for (Pipe p : List.of(first, second)) {
            p.source().configureBlocking(false);
            toClose.add(p.source());
            toClose.add(p.sink());
        }
        AtomicInteger calls = new AtomicInteger();
        running.call(() -> {
            List<Registration> both = new ArrayList<>();
            for (Pipe p : List.of(first, second)) {
                both.add(ops.register(p.source(), SelectionKey.OP_READ, (reg, ready) -> {
                    calls.incrementAndGet();
                    both.forEach(Registration::cancel);
                }));
                p.sink().write(ByteBuffer.wrap(new byte[] {1})); // both ready for the same turn
            }
            return null;
        });
        running.call(() -> null);
        running.call(() -> null); // surely a turn after the one that delivered
        assertEquals(1, running.call(calls::get));
    }

    @Test
    void acceptAndConnectAreReportedAsTheOpsTheGuestAskedFor() throws IOException {
        startBoth();
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        server.configureBlocking(false);
        SocketChannel client = SocketChannel.open();
        client.configureBlocking(false);
        toClose.add(server);
        toClose.add(client);
        CompletableFuture<Integer> acceptReady = new CompletableFuture<>();
        CompletableFuture<Integer> connectReady = new CompletableFuture<>();
        running.call(() -> {
            ops.register(server, SelectionKey.OP_ACCEPT, (reg, ready) -> {
                reg.cancel();
                acceptReady.complete(ready);
            });
            client.connect(server.getLocalAddress());
            return ops.register(client, SelectionKey.OP_CONNECT, (reg, ready) -> {
                reg.cancel();
                connectReady.complete(ready);
            });
        });
        assertEquals(SelectionKey.OP_ACCEPT, Timeouts.await(acceptReady, "OP_ACCEPT"));
        assertEquals(SelectionKey.OP_CONNECT, Timeouts.await(connectReady, "OP_CONNECT"));
    }

    @Test
    void interestOpsOutsideTheChannelsValidOpsAreRefused() throws IOException {
        startBoth();
        Pipe pipe = readablePipe();
        running.call(() -> assertThrows(IllegalArgumentException.class,
                () -> ops.register(pipe.source(), SelectionKey.OP_WRITE, (reg, ready) -> { })));
    }

    @Test
    void rearmingTheTimerReplacesTheEarlierDeadline() {
        startBoth();
        running.call(() -> {
            ops.armTimer(System.nanoTime() + 3_600_000_000_000L); // an hour away
            ops.armTimer(System.nanoTime() - 1);                  // replaces it: fires on the next turn
            return null;
        });
        Timeouts.await(events.timerFired, "the re-armed timer");
        assertEquals(1, running.call(events.timers::get));
    }

    @Test
    void disarmedTimerDoesNotFireEvenWhenDue() {
        startBoth();
        CountDownLatch later = new CountDownLatch(1);
        running.call(() -> {
            ops.armTimer(System.nanoTime() - 1);
            ops.disarmTimer();
            running.loop().alarmAt(System.nanoTime() - 1, later::countDown); // due on the same turn
            return null;
        });
        Timeouts.await(later, "an alarm due on the same turn");
        assertEquals(0, running.call(events.timers::get));
    }

    @Test
    void wakeupsFromManyThreadsAreNeverLost() throws InterruptedException {
        startBoth();
        int threads = 8;
        int perThread = 500;
        AtomicInteger posted = new AtomicInteger();
        CountDownLatch sawAll = new CountDownLatch(1);
        // The cross-thread pattern: publish, then wake; the loop must see every publication.
        events.onWakeupAction = () -> {
            if (posted.get() == threads * perThread) {
                sawAll.countDown();
            }
        };
        List<Thread> wakers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread waker = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    posted.incrementAndGet();
                    ops.wakeup();
                }
            });
            wakers.add(waker);
            waker.start();
        }
        for (Thread waker : wakers) {
            waker.join();
        }
        Timeouts.await(sawAll, "an onWakeup after the last wakeup()");
    }

    @Test
    void wakeupDuringOnWakeupProducesAnotherOnWakeup() {
        startBoth();
        CountDownLatch second = new CountDownLatch(2);
        events.onWakeupAction = () -> {
            second.countDown();
            if (events.wakeups.get() == 1) {
                ops.wakeup();
            }
        };
        ops.wakeup();
        Timeouts.await(second, "the onWakeup asked for during the first");
    }

    @Test
    void wakeupBeforeTheLoopRunsIsDelivered() {
        ops.start(events);
        CountDownLatch woke = new CountDownLatch(1);
        events.onWakeupAction = woke::countDown;
        ops.wakeup();
        running.start();
        Timeouts.await(woke, "the wakeup made before LegacyLoop.run()");
    }

    @Test
    void closeFromAnotherThreadDropsWatchesAndLeavesTheLoopRunning() throws IOException {
        startBoth();
        Pipe pipe = readablePipe(); // stays readable: a watch left behind would report it every turn
        AtomicInteger ready = new AtomicInteger();
        Registration reg = running.call(() -> ops.register(pipe.source(), SelectionKey.OP_READ, (r, ops) -> ready.incrementAndGet()));
        Timeouts.await(ops.close(), "the shim to close");
        int readyAtClose = ready.get();
        running.call(() -> null);
        running.call(() -> null);
        assertEquals(readyAtClose, ready.get(), "onReady calls after close() completed");
        assertFalse(running.call(reg::isValid));
        assertEquals(null, running.call(() -> pipe.source().isRegistered() ? "still registered" : null));
        CompletableFuture<Thread> hostTask = new CompletableFuture<>();
        running.loop().execute(() -> hostTask.complete(Thread.currentThread()));
        assertEquals(running.thread(), Timeouts.await(hostTask, "the host's own task after close"));
    }

    @Test
    void timerDueAfterCloseOnTheLoopThreadIsNotDelivered() {
        startBoth();
        CountDownLatch later = new CountDownLatch(1);
        running.call(() -> {
            ops.armTimer(System.nanoTime() - 1); // due on the next turn
            ops.close();
            running.loop().alarmAt(System.nanoTime() - 1, later::countDown);
            return null;
        });
        Timeouts.await(later, "an alarm due on the same turn");
        assertEquals(0, events.timers.get());
    }

    @Test
    void stoppingTheHostLoopTellsTheGuestExactlyOnceAndReleasesTheShim() {
        startBoth();
        running.call(() -> null);
        Timeouts.await(running.stop(), "the host loop to stop");
        assertEquals(1, events.hostClosing.get());
        Timeouts.await(ops.close(), "close() after the host stopped");
        assertEquals(1, events.hostClosing.get());
    }

    @Test
    void exceptionFromAGuestCallbackLeavesTheLoopDelivering() {
        startBoth();
        CountDownLatch secondWakeup = new CountDownLatch(1);
        events.onWakeupAction = () -> {
            if (events.wakeups.get() == 1) {
                throw new IllegalStateException("thrown on purpose by the test");
            }
            secondWakeup.countDown();
        };
        ops.wakeup();
        running.call(() -> null);
        ops.wakeup();
        Timeouts.await(secondWakeup, "onWakeup after one that threw");
    }

    @Test
    void threadIsTheLoopsOwnThread() {
        startBoth();
        LoopThread thread = ops.threads().get(0);
        assertFalse(thread.inLoop());
        assertTrue(running.call(thread::inLoop));
        assertEquals("legacy-loop", thread.threadName());
    }
}
