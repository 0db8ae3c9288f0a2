package io.guestloop.example.legacy.loop;

import io.guestloop.example.legacy.RunningLoop;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The legacy loop on its own, as its owner application uses it: no guest anywhere. */
class LegacyLoopTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private RunningLoop running(boolean start) {
        RunningLoop running = start ? RunningLoop.started("legacy-loop") : RunningLoop.create("legacy-loop");
        toClose.add(running);
        return running;
    }

    private Pipe pipe() throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
        toClose.add(pipe.source());
        toClose.add(pipe.sink());
        return pipe;
    }

    private static void writeByte(Pipe pipe) {
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {42}));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void executeFromAnotherThreadRunsOnTheLoopThread() {
        RunningLoop running = running(true);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        running.loop().execute(() -> ranOn.complete(Thread.currentThread()));
        assertSame(running.thread(), Timeouts.await(ranOn, "the posted task"));
    }

    /** One byte in the wake-up pipe stands for many tasks: none may be left waiting when posts race the drain. */
    @Test
    void everyTaskPostedFromManyThreadsAndFromTheLoopRuns() throws InterruptedException {
        RunningLoop running = running(true);
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch ran = new CountDownLatch(threads * perThread * 2);
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread poster = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    // each task posts one more from the loop thread itself
                    running.loop().execute(() -> {
                        ran.countDown();
                        running.loop().execute(ran::countDown);
                    });
                }
            }, "poster-" + t);
            poster.start();
            posters.add(poster);
        }
        for (Thread poster : posters) {
            poster.join(Timeouts.AWAIT.toMillis());
        }
        Timeouts.await(ran, "every posted task");
    }

    @Test
    void taskPostedBeforeRunIsNotLost() {
        RunningLoop running = running(false);
        CountDownLatch ran = new CountDownLatch(1);
        running.loop().execute(ran::countDown);
        running.start();
        Timeouts.await(ran, "the task posted before run()");
    }

    @Test
    void readableChannelIsReportedOnEveryTurnUntilRead() throws IOException {
        RunningLoop running = running(true);
        Pipe pipe = pipe();
        CountDownLatch threeTurns = new CountDownLatch(3);
        running.call(() -> running.loop().watch(pipe.source(), LegacyLoop.READ, (watch, events) -> {
            assertEquals(LegacyLoop.READ, events);
            threeTurns.countDown(); // never reads: the byte stays, so the loop must keep reporting it
        }));
        writeByte(pipe);
        Timeouts.await(threeTurns, "READ reported on three turns");
    }

    @Test
    void changeStartsWatchingWhatWasNotWatched() throws IOException {
        RunningLoop running = running(true);
        Pipe pipe = pipe();
        writeByte(pipe);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch reported = new CountDownLatch(1);
        LegacyLoop.Watch watch = running.call(() -> running.loop().watch(pipe.source(), 0, (w, events) -> {
            calls.incrementAndGet();
            w.change(0);
            reported.countDown();
        }));
        assertEquals(0, running.call(calls::get), "a watch for nothing must not call back");
        running.call(() -> {
            watch.change(LegacyLoop.READ);
            return null;
        });
        Timeouts.await(reported, "READ after change");
    }

    @Test
    void droppedWatchIsNotCalledEvenWhenItWasReadyInTheSameTurn() throws IOException {
        RunningLoop running = running(true);
        Pipe first = pipe();
        Pipe second = pipe();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch firstCall = new CountDownLatch(1);
        running.call(() -> {
            List<LegacyLoop.Watch> watches = new ArrayList<>();
            LegacyLoop.IoCallback dropBoth = (w, events) -> {
                calls.incrementAndGet();
                watches.forEach(LegacyLoop.Watch::drop);
                firstCall.countDown();
            };
            watches.add(running.loop().watch(first.source(), LegacyLoop.READ, dropBoth));
            watches.add(running.loop().watch(second.source(), LegacyLoop.READ, dropBoth));
            // Both become ready before the loop's next select: one turn collects both.
            writeByte(first);
            writeByte(second);
            return null;
        });
        Timeouts.await(firstCall, "the first pipe's callback");
        // A due alarm runs at the end of a turn, after every ready watch of that turn was handled.
        CompletableFuture<Integer> afterTheTurn = new CompletableFuture<>();
        running.loop().execute(() -> running.loop().alarmAt(System.nanoTime(), () -> afterTheTurn.complete(calls.get())));
        assertEquals(1, Timeouts.await(afterTheTurn, "an alarm after the turn"), "callbacks after the first, which dropped both watches");
    }

    @Test
    void alarmNeverRunsBeforeItsDeadline() {
        RunningLoop running = running(true);
        CompletableFuture<Long> firedAt = new CompletableFuture<>();
        long deadline = running.call(() -> {
            long d = System.nanoTime() + 30_000_000L;
            running.loop().alarmAt(d, () -> firedAt.complete(System.nanoTime()));
            return d;
        });
        long fired = Timeouts.await(firedAt, "the alarm");
        assertTrue(fired - deadline >= 0, "fired " + (deadline - fired) + " ns early");
    }

    @Test
    void cancelledAlarmNeverRunsEvenWhenDueInTheSameTurn() {
        RunningLoop running = running(true);
        AtomicInteger cancelledRuns = new AtomicInteger();
        CountDownLatch markerRan = new CountDownLatch(1);
        running.call(() -> {
            long past = System.nanoTime() - 1;
            LegacyLoop.Alarm[] victim = new LegacyLoop.Alarm[1];
            running.loop().alarmAt(past, () -> victim[0].cancel()); // same deadline, runs first
            victim[0] = running.loop().alarmAt(past, cancelledRuns::incrementAndGet);
            running.loop().alarmAt(past, markerRan::countDown); // runs after the victim would have
            return null;
        });
        Timeouts.await(markerRan, "the alarm after the cancelled one");
        assertEquals(0, cancelledRuns.get());
    }

    @Test
    void throwingCallbackLeavesTheLoopRunning() {
        RunningLoop running = running(true);
        running.loop().execute(() -> {
            throw new IllegalStateException("thrown on purpose by the test");
        });
        CountDownLatch after = new CountDownLatch(1);
        running.loop().execute(after::countDown);
        Timeouts.await(after, "a task after the one that threw");
    }

    @Test
    void stopRunsStopListenersOnTheLoopThreadAndRunReturns() {
        RunningLoop running = running(true);
        CompletableFuture<Thread> listenerRanOn = new CompletableFuture<>();
        running.loop().addStopListener(() -> listenerRanOn.complete(Thread.currentThread()));
        Timeouts.await(running.stop(), "run() to return");
        assertSame(running.thread(), listenerRanOn.getNow(null));
    }

    @Test
    void acceptReportsReadAndConnectReportsWrite() throws IOException {
        RunningLoop running = running(true);
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        server.configureBlocking(false);
        SocketChannel client = SocketChannel.open();
        client.configureBlocking(false);
        toClose.add(server);
        toClose.add(client);
        CountDownLatch accepted = new CountDownLatch(1);
        CountDownLatch connected = new CountDownLatch(1);
        running.call(() -> {
            running.loop().watch(server, LegacyLoop.READ, (w, events) -> {
                try {
                    SocketChannel peer = server.accept();
                    if (peer != null) {
                        peer.close();
                        accepted.countDown();
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            client.connect(server.getLocalAddress());
            return running.loop().watch(client, LegacyLoop.WRITE, (w, events) -> {
                try {
                    if (client.finishConnect()) {
                        w.change(0);
                        connected.countDown();
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        });
        Timeouts.await(accepted, "READ on the listening socket");
        Timeouts.await(connected, "WRITE on the connecting socket");
    }

    @Test
    void loopThreadMethodsRefuseOtherThreads() {
        RunningLoop running = running(true);
        running.call(() -> null); // run() has started and the loop knows its thread
        assertFalse(running.loop().isLoopThread());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> running.loop().alarmAt(System.nanoTime(), () -> { }));
        assertTrue(e.getMessage().contains("execute()"), e.getMessage());
    }
}
