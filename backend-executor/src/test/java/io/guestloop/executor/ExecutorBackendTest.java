package io.guestloop.executor;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the {@code executor} backend promises beyond the kit: one hand-off at a time, a watcher that
 * neither spins nor outlives its guest, and a host that stops or is not serial handled clearly.
 *
 * <p><b>Threading:</b> the tests run on the JUnit thread; the guests on a single-thread executor.
 */
class ExecutorBackendTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final long IDLE_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile Thread worker;
    private final AtomicInteger submitted = new AtomicInteger();
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            task -> {
                Thread t = new Thread(task, "test-host");
                t.setDaemon(true);
                worker = t;
                return t;
            });
    /** The host: counts every task given to it. */
    private final SerialHost host = SerialHost.of(task -> {
        submitted.incrementAndGet();
        executor.execute(task);
    }, () -> Thread.currentThread() == worker).withName("test");

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
        executor.shutdownNow();
    }

    private GuestContext context(SerialHost on, ConnectionHandler handler) {
        GuestContext ctx = GuestContext.builder().hostLoop(on).listen(LOOPBACK, handler).build();
        resources.add(() -> {
            try {
                ctx.close().toCompletableFuture().get(Timeouts.AWAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException expectedForSomeTests) {
                // the test looked at how it closed
            }
        });
        return ctx;
    }

    private Socket client(SocketAddress address) throws Exception {
        Socket s = new Socket();
        s.connect(address, 5_000);
        resources.add(s);
        return s;
    }

    private static Thread watcherOf(String hostName) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("guestloop-watcher-" + hostName + "-") && t.isAlive()) {
                return t;
            }
        }
        throw new AssertionError("no watcher thread for host " + hostName);
    }

    private static long cpuOver(Thread thread, Runnable meanwhile) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadCpuTimeSupported(), "thread CPU time is not measurable on this JVM");
        long before = mx.getThreadCpuTime(thread.getId());
        meanwhile.run();
        long after = mx.getThreadCpuTime(thread.getId());
        assumeTrue(before >= 0 && after >= 0, "the thread's CPU time is not available");
        return after - before;
    }

    /** Measuring, not synchronising: a stretch of wall time in which the threads should do nothing. */
    private static void idleFor(long millis) {
        try {
            new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void nothingIsHandedOverAgainWhileAHandOffRuns() throws Exception {
        CountDownLatch opened = new CountDownLatch(20);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch everyByte = new CountDownLatch(20);
        AtomicInteger first = new AtomicInteger();
        GuestContext ctx = context(host, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                everyByte.countDown();
                if (first.getAndIncrement() == 0) {
                    holding.countDown();
                    Timeouts.await(release, "the test to let the host go"); // holds the host inside a hand-off
                }
            }
        });
        SocketAddress address = ctx.listeners().get(0).localAddress();
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(client(address));
        }
        Timeouts.await(opened, "20 connections to open");
        clients.get(0).getOutputStream().write(1);
        Timeouts.await(holding, "the host to hold in onData");
        int before = submitted.get();
        for (int i = 1; i < 20; i++) {
            clients.get(i).getOutputStream().write(1);
        }
        for (int i = 0; i < 1_000; i++) {
            ctx.cancelService();
        }
        assertEquals(before, submitted.get(), "hand-offs submitted while one was running");
        release.countDown();
        Timeouts.await(everyByte, "every byte to be delivered after the host was let go");
    }

    @Test
    void watcherDoesNotSpinWhileReadinessWaitsForTheHost() throws Exception {
        CountDownLatch opened = new CountDownLatch(1);
        GuestContext ctx = context(host, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }
        });
        Socket client = client(ctx.listeners().get(0).localAddress());
        Timeouts.await(opened, "the connection to open");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            held.countDown();
            Timeouts.await(release, "the test to let the host go"); // the host is busy with work of its own
        });
        Timeouts.await(held, "the host to be busy");
        client.getOutputStream().write(new byte[100]); // stays readable: nobody reads it while the host is busy
        long used = cpuOver(watcherOf("test"), () -> idleFor(1_000));
        release.countDown();
        assertTrue(used < IDLE_LIMIT_NANOS, "the watcher used " + used / 1_000 + " µs of CPU in 1 s while readiness waited for the host");
    }

    @Test
    void idleWatcherAndHostWithAThousandIdleConnectionsBurnNoCpu() throws Exception {
        int connections = 1_000;
        CountDownLatch opened = new CountDownLatch(connections);
        GuestContext ctx = context(host, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }
        });
        SocketAddress address = ctx.listeners().get(0).localAddress();
        for (int i = 0; i < connections; i++) {
            client(address);
        }
        Timeouts.await(opened, connections + " connections to open");
        Thread watcher = watcherOf("test");
        long[] hostUsed = new long[1];
        long watcherUsed = cpuOver(watcher, () -> hostUsed[0] = cpuOver(worker, () -> idleFor(2_000)));
        System.out.println("[executor] idle with " + connections + " connections, 2 s: watcher " + watcherUsed / 1_000
                + " µs, host " + hostUsed[0] / 1_000 + " µs of CPU");
        assertTrue(watcherUsed < IDLE_LIMIT_NANOS, "idle watcher used " + watcherUsed / 1_000 + " µs of CPU in 2 s");
        assertTrue(hostUsed[0] < IDLE_LIMIT_NANOS, "idle host thread used " + hostUsed[0] / 1_000 + " µs of CPU in 2 s");
    }

    @Test
    void watcherEndsWhenTheGuestClosesAndTheHostGoesOn() throws Exception {
        GuestContext ctx = context(host, new ConnectionHandler() { });
        Thread watcher = watcherOf("test");
        Timeouts.await(ctx.close(), "close");
        watcher.join(Timeouts.AWAIT.toMillis());
        assertFalse(watcher.isAlive(), "the watcher thread ended");
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        host.executor().execute(() -> ranOn.complete(Thread.currentThread()));
        assertEquals(worker, Timeouts.await(ranOn, "a host task after the guest closed"));
    }

    @Test
    void hostThatRefusesWorkClosesTheGuest() throws Exception {
        AtomicBoolean refusing = new AtomicBoolean();
        Executor gate = task -> {
            if (refusing.get()) {
                throw new RejectedExecutionException("the test's host has stopped");
            }
            executor.execute(task);
        };
        SerialHost stoppable = SerialHost.of(gate, host.onHostThread()).withName("refusing");
        CountDownLatch opened = new CountDownLatch(1);
        AtomicInteger closedConnections = new AtomicInteger();
        GuestContext ctx = context(stoppable, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closedConnections.incrementAndGet();
            }
        });
        SocketAddress address = ctx.listeners().get(0).localAddress();
        Socket client = client(address);
        Timeouts.await(opened, "the connection to open");
        Thread watcher = watcherOf("refusing");
        refusing.set(true);
        ctx.cancelService(); // the next hand-off is refused
        Timeouts.await(ctx.closed(), "the guest to close after its host refused work");
        assertEquals(1, closedConnections.get());
        assertEquals(-1, client.getInputStream().read(), "the client sees the close");
        assertThrows(ConnectException.class, () -> new Socket().connect(address, 5_000), "the listener is gone");
        watcher.join(Timeouts.AWAIT.toMillis());
        assertFalse(watcher.isAlive(), "the watcher thread ended");
    }

    @Test
    void aHostThatIsNotSerialIsReportedClearly() {
        Executor pool = task -> new Thread(task, "not-the-host").start();
        SerialHost notSerial = SerialHost.of(pool, () -> false).withName("pool");
        GuestContext ctx = context(notSerial, new ConnectionHandler() { });
        CompletableFuture<Void> closed = ctx.closed().toCompletableFuture();
        Throwable failure = assertThrows(Throwable.class, () -> closed.get(Timeouts.AWAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(failure instanceof TimeoutException, "the guest closed");
        Throwable cause = failure instanceof ExecutionException || failure instanceof CompletionException ? failure.getCause() : failure;
        assertInstanceOf(IllegalStateException.class, cause);
        assertTrue(cause.getMessage().contains("not-the-host") && cause.getMessage().contains("serial"), cause.getMessage());
    }
}
