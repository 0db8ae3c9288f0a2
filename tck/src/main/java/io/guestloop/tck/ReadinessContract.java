package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.guestloop.internal.GuardedRegistration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Readiness of real channels: READ, WRITE, ACCEPT and CONNECT are reported, interest changes take
 * effect, and readiness is level-triggered (reported on every turn while it lasts, and only then).
 */
abstract class ReadinessContract extends ContractGroup {

    private static final int READ = SelectionKey.OP_READ;
    private static final int WRITE = SelectionKey.OP_WRITE;

    private static void register(ThreadProbe loop, java.nio.channels.SelectableChannel channel, int ops,
                                 RecordingListener listener) {
        loop.call("register", () -> loop.register(channel, ops, listener));
    }

    @Test
    void readIsReportedWhenDataArrives() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        CompletableFuture<Integer> read = new CompletableFuture<>();
        register(loop, pair.near, READ, loop.listener((registration, ops) -> read.complete(SocketPair.drain(pair.near))));
        pair.send(10);
        assertEquals(10, Timeouts.await(read, "READ readiness"), "bytes read in onReady");
    }

    @Test
    void readIsReportedWhenThePeerCloses() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        CompletableFuture<Integer> read = new CompletableFuture<>();
        register(loop, pair.near, READ, loop.listener((registration, ops) -> {
            registration.cancel();
            read.complete(SocketPair.drain(pair.near));
        }));
        pair.far.close();
        assertEquals(-1, Timeouts.await(read, "READ readiness at end of stream"), "read() result in onReady");
    }

    @Test
    void writeIsReportedOnAConnectedSocket() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener((registration, ops) -> registration.interestOps(0));
        register(loop, pair.near, WRITE, listener);
        assertEquals(WRITE, listener.nextReadyOps("WRITE readiness"));
    }

    @Test
    void acceptIsReportedWhenAClientConnects() throws Exception {
        ThreadProbe loop = startedThread();
        ServerSocketChannel server = session().track(session().channels().openServerSocketChannel());
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        RecordingListener listener = loop.listener((registration, ops) -> {
            try {
                SocketChannel child = server.accept();
                if (child != null) {
                    accepted.complete(session().track(child));
                }
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        register(loop, server, SelectionKey.OP_ACCEPT, listener);
        session().track(SocketChannel.open(server.getLocalAddress()));

        assertNotNull(Timeouts.await(accepted, "ACCEPT readiness"), "accepted connection");
        assertEquals(SelectionKey.OP_ACCEPT, listener.nextReadyOps("the ACCEPT report"));
    }

    @Test
    void connectIsReportedWhenANonBlockingConnectCompletes() throws Exception {
        ThreadProbe loop = startedThread();
        ServerSocketChannel server = session().track(ServerSocketChannel.open());
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CompletableFuture<Boolean> finished = new CompletableFuture<>();
        RecordingListener listener = loop.listener((registration, ops) -> {
            try {
                finished.complete(((SocketChannel) registration.channel()).finishConnect());
                registration.interestOps(0);
            } catch (IOException e) {
                finished.completeExceptionally(e);
            }
        });
        // A loopback connect may complete at once; try a few times to get one that is pending.
        boolean pending = false;
        for (int attempt = 0; attempt < 5 && !pending; attempt++) {
            SocketChannel client = session().track(session().channels().openSocketChannel());
            client.configureBlocking(false);
            pending = loop.call("connect", () -> {
                if (client.connect(server.getLocalAddress())) {
                    return false;
                }
                loop.register(client, SelectionKey.OP_CONNECT, listener);
                return true;
            });
        }
        assumeTrue(pending, "every loopback connect completed at once; CONNECT readiness cannot be observed here");

        assertTrue(Timeouts.await(finished, "CONNECT readiness"), "finishConnect() in onReady");
        assertEquals(SelectionKey.OP_CONNECT, listener.nextReadyOps("the CONNECT report"));
    }

    @Test
    void readOnAPipeSourceIsReported() throws Exception {
        ThreadProbe loop = startedThread();
        Pipe pipe = session().channels().openPipe();
        session().track(pipe.sink());
        session().track(pipe.source()).configureBlocking(false);
        CompletableFuture<Integer> read = new CompletableFuture<>();
        register(loop, pipe.source(), READ,
                loop.listener((registration, ops) -> read.complete(SocketPair.drain(pipe.source()))));
        pipe.sink().write(ByteBuffer.allocate(3));
        assertEquals(3, Timeouts.await(read, "READ readiness of a pipe"), "bytes read in onReady");
    }

    @Test
    void readOnADatagramChannelIsReported() throws Exception {
        ThreadProbe loop = startedThread();
        DatagramChannel receiver = session().track(session().channels().openDatagramChannel());
        receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        receiver.configureBlocking(false);
        CompletableFuture<Integer> received = new CompletableFuture<>();
        register(loop, receiver, READ, loop.listener((registration, ops) -> {
            ByteBuffer datagram = ByteBuffer.allocate(64);
            try {
                if (receiver.receive(datagram) != null) {
                    received.complete(datagram.position());
                }
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        }));
        DatagramChannel sender = session().track(DatagramChannel.open());
        sender.send(ByteBuffer.allocate(5), receiver.getLocalAddress());
        assertEquals(5, Timeouts.await(received, "READ readiness of a datagram channel"), "datagram size");
    }

    @Test
    void unreadDataIsReportedAgainOnTheNextTurn() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener();
        register(loop, pair.near, READ, listener);
        pair.send(1);
        for (int i = 1; i <= 3; i++) {
            assertEquals(READ, listener.nextReadyOps("READ report " + i + " of data left unread"));
        }
    }

    @Test
    void consumedDataIsNotReportedAgain() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener((registration, ops) -> SocketPair.drain(pair.near));
        register(loop, pair.near, READ, listener);
        pair.send(1);
        listener.nextReadyOps("READ readiness");
        loop.settle();
        assertEquals(1, listener.calls.get(), "onReady calls for one byte read in the first call");
    }

    @Test
    void zeroInterestReportsNothing() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener();
        register(loop, pair.near, 0, listener);
        pair.send(1);
        loop.settle();
        assertEquals(0, listener.calls.get(), "onReady calls with interest 0 while data is pending");
    }

    @Test
    void changingZeroInterestToReadReportsPendingData() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener((registration, ops) -> SocketPair.drain(pair.near));
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, 0, listener));
        pair.send(1);
        loop.passTurns(1);
        loop.run("interest READ", () -> registration.interestOps(READ));
        assertEquals(READ, listener.nextReadyOps("READ after interestOps(READ) with data already pending"));
    }

    @Test
    void changingReadInterestToZeroStopsReports() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger afterStop = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        RecordingListener listener = loop.listener((registration, ops) -> {
            if (stopped.get()) {
                afterStop.incrementAndGet();
            } else if (seen.incrementAndGet() == 2) {
                registration.interestOps(0);
                stopped.set(true);
            }
        });
        register(loop, pair.near, READ, listener);
        pair.send(1);
        listener.nextReadyOps("READ report 1");
        listener.nextReadyOps("READ report 2");
        loop.settle();
        assertTrue(stopped.get(), "the listener set interest 0");
        assertEquals(0, afterStop.get(), "onReady calls after interestOps(0) with data still unread");
    }

    @Test
    void addingWriteInterestReportsWrite() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener listener = loop.listener((registration, ops) -> registration.interestOps(READ));
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, READ, listener));
        loop.passTurns(1);
        loop.run("interest READ|WRITE", () -> registration.interestOps(READ | WRITE));
        assertEquals(WRITE, listener.nextReadyOps("WRITE after adding it to the interest set"));
    }

    @Test
    void readyOpsAreASubsetOfTheInterest() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        pair.send(1);
        // The socket is readable and writable; each report may only name what the interest asks for.
        RecordingListener listener = loop.listener();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, WRITE, listener));
        for (int i = 1; i <= 3; i++) {
            assertEquals(WRITE, listener.nextReadyOps("report " + i + " with interest WRITE"));
        }
        loop.run("interest READ", () -> registration.interestOps(READ));
        listener.awaitReady(READ, "a report with interest READ");
        loop.run("interest 0", () -> registration.interestOps(0));
        assertEquals(0, listener.callsOutsideInterest(), "reports with ops empty or outside the interest set");
    }

    @Test
    void readyOpsFollowAnInterestChangeMadeEarlierInTheSameTurn() throws Exception {
        ThreadProbe loop = startedThread();
        // Both are readable and writable in the same turn; whichever is called first narrows the
        // other's interest to WRITE, so the other's report in that turn may no longer name READ.
        SameTurnPair pair = SameTurnPair.start(loop, session(), READ | WRITE, (self, other, channel) -> {
            narrow(other);
            self.interestOps(0);
        });
        assertEquals(0, pair.first.callsOutsideInterest() + pair.second.callsOutsideInterest(),
                "reports naming ops outside the interest set as changed earlier in the same turn");
    }

    private static void narrow(GuardedRegistration other) {
        if (other.isValid() && other.interestOps() == (READ | WRITE)) {
            other.interestOps(WRITE);
        }
    }
}
