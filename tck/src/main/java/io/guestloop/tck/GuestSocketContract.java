package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for connections: the guest API over real sockets and pipes on the backend.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestSocketContract extends GuestAddressContract {

    @Test
    void echoesAMegabyteOverRealSockets() throws Exception {
        GuestHarness h = harness(threadsUpTo(2), b -> b.listen(LOOPBACK, new EchoHandler()));
        Socket s = client(h.context().listeners().get(0).localAddress());
        assertEchoesWhole(s, pattern(0, 1 << 20));
    }

    @Test
    void everyConnectionCallbackRunsOnItsServiceThread() throws Exception {
        List<String> wrong = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(4);
        ConnectionHandler checking = new EchoHandler() {
            private void check(Connection c, String what) {
                if (!c.serviceThread().inLoop()) {
                    wrong.add(what + " ran on " + Thread.currentThread().getName());
                }
            }

            @Override
            public void onOpen(Connection c) {
                check(c, "onOpen");
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                check(c, "onData");
                super.onData(c, data);
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                check(c, "onClosed");
                closed.countDown();
            }
        };
        GuestHarness h = harness(threadsUpTo(2), b -> b.listen(LOOPBACK, checking));
        for (int i = 0; i < 4; i++) {
            try (Socket s = client(h.context().listeners().get(0).localAddress())) {
                s.getOutputStream().write(new byte[] {1, 2, 3});
                readFully(s.getInputStream(), 3);
            }
        }
        Timeouts.await(closed, "four connections to close");
        assertEquals(List.of(), wrong);
    }

    @Test
    void acceptedConnectionsAreSpreadOverEveryServiceThread() throws Exception {
        int n = threadsUpTo(4);
        AtomicInteger[] perThread = new AtomicInteger[n];
        Arrays.setAll(perThread, i -> new AtomicInteger());
        CountDownLatch opened = new CountDownLatch(2 * n);
        GuestHarness h = harness(n, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                perThread[c.serviceThread().index()].incrementAndGet();
                opened.countDown();
            }
        }));
        for (int i = 0; i < 2 * n; i++) {
            client(h.context().listeners().get(0).localAddress());
        }
        Timeouts.await(opened, "every connection to open");
        for (int i = 0; i < n; i++) {
            assertEquals(2, perThread[i].get(), "connections on service thread " + i);
        }
    }

    @Test
    void exceptionInACallbackClosesOnlyThatConnection() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> closeCause = new AtomicReference<>();
        GuestHarness h = harness(1, b -> b.errorHandler((t, c, e) -> reported.add(e)).listen(LOOPBACK, new EchoHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                if (data.get(data.position()) == 'X') {
                    throw new IllegalStateException("boom");
                }
                super.onData(c, data);
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                if (cause != null) {
                    closeCause.set(cause);
                }
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        Socket good = client(address);
        Socket bad = client(address);
        bad.getOutputStream().write('X');
        assertEquals(-1, bad.getInputStream().read(), "the failing connection is closed");
        good.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), readFully(good.getInputStream(), 2));
        assertEquals(1, reported.size());
        assertEquals("boom", reported.get(0).getMessage());
        assertSame(reported.get(0), closeCause.get());
    }

    @Test
    void connectOpensAnOutgoingConnection() throws Exception {
        GuestHarness h = harness(1);
        try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            h.run(0, () -> h.thread(0).connect(peer.getLocalSocketAddress(), Duration.ofSeconds(20), new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
                }
            }));
            try (Socket accepted = peer.accept()) {
                accepted.setSoTimeout((int) Timeouts.AWAIT.toMillis());
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), readFully(accepted.getInputStream(), 5));
            }
        }
    }

    @Test
    void refusedConnectEndsInOnClosedWithoutOnOpen() throws Exception {
        SocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalSocketAddress();
        }
        AtomicInteger opens = new AtomicInteger();
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        GuestHarness h = harness(1);
        h.run(0, () -> h.thread(0).connect(nobody, Duration.ofSeconds(20), new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opens.incrementAndGet();
            }

            @Override
            public void onClosed(Connection c, Throwable t) {
                cause.complete(t);
            }
        }));
        assertInstanceOf(ConnectException.class, Timeouts.await(cause, "the refused connect to end"));
        assertEquals(0, opens.get());
    }

    @Test
    void pausedReadingDeliversNothingUntilResumed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Connection> open = new CompletableFuture<>();
        CountDownLatch resumedData = new CountDownLatch(1);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                c.pauseReading();
                open.complete(c);
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                seen.add(StandardCharsets.US_ASCII.decode(data).toString());
                resumedData.countDown();
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        Connection c = Timeouts.await(open, "the connection to open");
        s.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
        h.awaitIoPoll(0); // the data is in the kernel: a loop still watching READ would deliver it now
        assertEquals(List.of(), seen, "nothing read while paused");
        assertTrue(h.call(0, c::isReadingPaused));
        h.run(0, c::resumeReading);
        Timeouts.await(resumedData, "data after resumeReading");
        assertEquals("abc", String.join("", seen));
    }

    @Test
    void requestWritableDeliversOneOnWritablePerRequest() throws Exception {
        AtomicInteger writables = new AtomicInteger();
        CompletableFuture<Connection> open = new CompletableFuture<>();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                open.complete(c);
            }

            @Override
            public void onWritable(Connection c) {
                writables.incrementAndGet();
            }
        }));
        client(h.context().listeners().get(0).localAddress());
        Connection c = Timeouts.await(open, "the connection to open");
        h.run(0, () -> {
            c.requestWritable();
            c.requestWritable();
        });
        h.awaitIoPoll(0);
        h.awaitIoPoll(0); // a second callback for the second request would have come by now
        assertEquals(1, writables.get(), "two requests before the callback make one callback");
        h.run(0, c::requestWritable);
        h.awaitIoPoll(0);
        h.awaitIoPoll(0);
        assertEquals(2, writables.get());
    }

    @Test
    void adoptedPipeIsReadAndWritten() throws Exception {
        GuestHarness h = harness(1);
        Pipe in = h.context().channelProvider().openPipe();
        Pipe out = h.context().channelProvider().openPipe();
        closeLater(in.sink());
        closeLater(out.source());
        CompletableFuture<String> received = new CompletableFuture<>();
        Connection writer = h.call(0, () -> h.thread(0).adopt(out.sink(), new ConnectionHandler() { }));
        h.run(0, () -> h.thread(0).adopt(in.source(), new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                received.complete(StandardCharsets.US_ASCII.decode(data).toString());
            }
        }));
        in.sink().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("ping", Timeouts.await(received, "data through the adopted pipe"));
        assertTrue(h.call(0, () -> writer.write(ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII)))));
        ByteBuffer back = ByteBuffer.allocate(4);
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        // The write returned true: the bytes are in the pipe (whose source may be non-blocking).
        while (back.hasRemaining() && out.source().read(back) >= 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertEquals("pong", new String(back.array(), StandardCharsets.US_ASCII));
    }

    @Test
    void peerCloseEndsInOnClosedWithoutCause() throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CountDownLatch opened = new CountDownLatch(1);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.complete(cause);
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        Timeouts.await(opened, "the connection to open");
        s.close();
        assertNull(Timeouts.await(closed, "onClosed after the peer closed"));
    }

}
