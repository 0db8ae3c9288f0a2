package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guest layer of the conformance kit: the guest API run over a backend. A backend module runs
 * all of it by extending this one class:
 *
 * <pre>{@code
 * class NioGuestApiTest extends GuestApiTck {
 *     protected BackendFixture newFixture() { return new NioFixture(); }
 * }
 * }</pre>
 *
 * <p>This class holds the life-cycle contracts; the socket and service-thread contracts come from
 * its superclasses.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestApiTck extends GuestServiceContract {

    @Test
    void contextBuiltForTheFixtureRunsOnItsBackend() {
        GuestHarness h = harness(1);
        assertEquals(fixture.backendName(), h.context().backendName());
    }

    @Test
    void closeReleasesEveryConnectionListenerTimerAndProtocol() throws Exception {
        int n = threadsUpTo(2);
        AtomicInteger closedConnections = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        AtomicInteger timerRuns = new AtomicInteger();
        CountDownLatch opened = new CountDownLatch(2);
        GuestHarness h = harness(n, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                c.serviceThread().schedule(Duration.ofHours(1), timerRuns::incrementAndGet);
                opened.countDown();
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closedConnections.incrementAndGet();
            }
        }).protocol(new Protocol() {
            @Override
            public void onStop(ServiceThread thread) {
                stops.incrementAndGet();
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        Socket a = client(address);
        Socket b = client(address);
        Timeouts.await(opened, "two connections to open");
        Timeouts.await(h.context().close(), "close");
        assertEquals(2, closedConnections.get());
        assertEquals(n, stops.get());
        assertEquals(0, timerRuns.get());
        assertEquals(-1, a.getInputStream().read(), "client a sees the close");
        assertEquals(-1, b.getInputStream().read(), "client b sees the close");
        assertThrows(ConnectException.class, () -> new Socket().connect(address, 5_000), "the listener is gone");
        Timeouts.await(h.context().closed(), "closed()");
    }

    @Test
    void closeIsIdempotentAndCancelServiceAfterCloseIsIgnored() {
        GuestHarness h = harness(1);
        Timeouts.await(h.context().close(), "close");
        Timeouts.await(h.context().close(), "a second close");
        h.context().cancelService();
    }

    @Test
    void closeCalledFromAGuestCallbackCompletes() {
        GuestHarness h = harness(1);
        h.run(0, () -> h.context().close());
        Timeouts.await(h.context().closed(), "closed() after closing from the loop");
    }

    @Test
    void foreignLoopStillServesItsOwnWorkAfterTheGuestCloses() {
        assumeTrue(fixture.borrowsHostLoop(), "only for backends that borrow a host loop");
        GuestHarness h = harness(1);
        Thread loop = h.loopThread(0);
        Timeouts.await(h.context().close(), "close");
        assertSame(loop, Timeouts.await(fixture.runHostTask(0), "a host task after the guest closed"));
    }

    @Test
    void hostLoopShutdownUnderALiveGuestClosesItCleanly() throws Exception {
        assumeTrue(fixture.borrowsHostLoop(), "only for backends that borrow a host loop");
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger closedConnections = new AtomicInteger();
        CountDownLatch opened = new CountDownLatch(2);
        GuestHarness h = harness(1, b -> b.errorHandler((t, c, e) -> errors.add(e)).listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closedConnections.incrementAndGet();
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        Socket a = client(address);
        Socket b = client(address);
        Timeouts.await(opened, "two connections to open");
        Timeouts.await(fixture.shutdownHost(), "the host loop to shut down");
        Timeouts.await(h.context().closed(), "the guest to close itself");
        assertEquals(2, closedConnections.get());
        assertEquals(-1, a.getInputStream().read());
        assertEquals(-1, b.getInputStream().read());
        assertEquals(List.of(), errors);
    }

    @Test
    void idleContextWithAThousandIdleConnectionsBurnsNoLoopCpu() throws Exception {
        int connections = 1_000;
        CountDownLatch opened = new CountDownLatch(connections);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        List<Socket> clients = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            clients.add(client(address));
        }
        Timeouts.await(opened, connections + " connections to open");
        Thread loop = h.loopThread(0);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long before = mx.getThreadCpuTime(loop.getId());
        assumeTrue(before >= 0, "thread CPU time is not measurable on this JVM");
        // Measuring, not synchronising: 1 s of wall time in which nothing happens; 0.4 % of a core is
        // the most the loop may spend in it (a loop that visits its connections on a tick spends more).
        new CountDownLatch(1).await(1, TimeUnit.SECONDS);
        long used = mx.getThreadCpuTime(loop.getId()) - before;
        System.out.println("[" + fixture.backendName() + "] idle loop thread with " + connections
                + " idle connections used " + TimeUnit.NANOSECONDS.toMicros(used) + " µs of CPU in 1 s");
        assertTrue(used < TimeUnit.MILLISECONDS.toNanos(4),
                "an idle loop with " + connections + " idle connections used " + TimeUnit.NANOSECONDS.toMicros(used) + " µs of CPU in 1 s");
        assertEquals(connections, clients.size());
    }

    @Test
    void contextFoundWithoutNamingTheBackend() {
        GuestContext ctx = fixture.contextBuilder(1).build();
        try {
            assertEquals(fixture.backendName(), ctx.backendName());
        } finally {
            Timeouts.await(ctx.close(), "close");
        }
    }

    /**
     * No peer can make the guest hold memory after it is gone: a thousand connections, each with
     * one message echoed, all closed, leave no connection reachable once the loops have turned.
     */
    @Test
    void closedConnectionsBecomeUnreachable() throws Exception {
        int connections = 1_000;
        List<java.lang.ref.WeakReference<Connection>> refs = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(connections);
        int threads = threadsUpTo(2);
        GuestHarness h = harness(threads, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                refs.add(new java.lang.ref.WeakReference<>(c));
            }

            @Override
            public void onData(Connection c, java.nio.ByteBuffer data) {
                c.write(data);
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.countDown();
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        byte[] message = pattern(0, 16 * 1024);
        for (int batch = 0; batch < connections; batch += 100) {
            List<Socket> open = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Socket s = client(address);
                s.getOutputStream().write(message);
                open.add(s);
            }
            for (Socket s : open) {
                readFully(s.getInputStream(), message.length);
                s.close();
            }
        }
        Timeouts.await(closed, connections + " connections to close");
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        int alive;
        do {
            for (int i = 0; i < threads; i++) {
                h.awaitIoPoll(i); // a selector lets go of a cancelled key at its next selection
            }
            System.gc();
            alive = 0;
            for (java.lang.ref.WeakReference<Connection> r : refs) {
                if (r.get() != null) {
                    alive++;
                }
            }
        } while (alive > 0 && System.nanoTime() < deadline);
        assertEquals(connections, refs.size(), "connections opened");
        assertEquals(0, alive, "connections still reachable after all " + connections + " closed and the loops turned");
    }
}
