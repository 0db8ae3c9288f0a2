package io.guestloop.netty;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java.nio} channels over Netty's native sockets, on their own (no loop): the JDK's
 * semantics where the guest core relies on them, and clear refusals where they differ.
 *
 * <p><b>Threading:</b> test thread only.
 */
class NativeChannelsTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final NativeChannels channels = NativeChannels.INSTANCE;

    @BeforeEach
    void nativeLibraryLoaded() {
        NativeTransports.requireEpoll();
        io.netty.channel.epoll.Epoll.ensureAvailability();
    }

    @Test
    void channelsAreBornNonBlockingAndRefuseBlockingMode() throws IOException {
        try (SocketChannel socket = channels.openSocketChannel()) {
            assertFalse(socket.isBlocking());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> socket.configureBlocking(true));
            assertTrue(e.getMessage().contains("non-blocking only"), e.getMessage());
            assertFalse(socket.isBlocking());
        }
    }

    @Test
    void thereIsNoSelectorForNativeChannels() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, channels::openSelector);
        assertTrue(e.getMessage().contains("adopt"), e.getMessage());
    }

    @Test
    void acceptedAndConnectedSocketsCarryHeapAndDirectBuffersBothWays() throws Exception {
        try (ServerSocketChannel server = channels.openServerSocketChannel()) {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(LOOPBACK, 16);
            assertNull(server.accept(), "nothing waits yet");
            try (java.net.Socket peer = new java.net.Socket()) {
                peer.connect(server.getLocalAddress());
                SocketChannel accepted = acceptSoon(server);
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                assertEquals(true, accepted.getOption(StandardSocketOptions.TCP_NODELAY));
                assertEquals(peer.getLocalSocketAddress(), accepted.getRemoteAddress());

                ByteBuffer header = ByteBuffer.wrap("head".getBytes(StandardCharsets.US_ASCII));
                ByteBuffer body = ByteBuffer.allocateDirect(4).put("body".getBytes(StandardCharsets.US_ASCII)).flip();
                assertEquals(8, accepted.write(new ByteBuffer[] {header, body}, 0, 2), "a gathering write of heap and direct");
                assertFalse(header.hasRemaining() || body.hasRemaining(), "positions advance by what was written");
                assertArrayEquals("headbody".getBytes(StandardCharsets.US_ASCII), peer.getInputStream().readNBytes(8));

                peer.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                ByteBuffer heap = ByteBuffer.allocate(16);
                for (Deadline d = new Deadline("the peer's bytes"); heap.position() < 4; d.check()) {
                    accepted.read(heap);
                }
                assertEquals("ping", new String(heap.array(), 0, 4, StandardCharsets.US_ASCII));
                assertEquals(0, accepted.read(ByteBuffer.allocate(0)), "a read of nothing is not end of stream");
                peer.close();
                ByteBuffer rest = ByteBuffer.allocateDirect(4);
                int n;
                for (Deadline d = new Deadline("end of stream"); (n = accepted.read(rest)) == 0; d.check()) {
                    Thread.onSpinWait();
                }
                assertEquals(-1, n, "end of stream after the peer closed");
                accepted.close();
            }
        }
    }

    @Test
    void aRefusedConnectFailsAtConnectOrAtFinishConnect() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(LOOPBACK)) {
            closedPort = (InetSocketAddress) probe.getLocalAddress();
        }
        try (SocketChannel socket = channels.openSocketChannel()) {
            assertThrows(ConnectException.class, () -> {
                if (!socket.connect(closedPort)) {
                    for (Deadline d = new Deadline("the refusal"); !socket.finishConnect(); d.check()) {
                        Thread.onSpinWait();
                    }
                }
            });
        }
    }

    @Test
    void aPipeCarriesBytesAndEndsWhenItsSinkCloses() throws IOException {
        Pipe pipe = channels.openPipe();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            assertEquals(3, sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            ByteBuffer into = ByteBuffer.allocate(8);
            assertEquals(3, source.read(into));
            assertEquals(0, source.read(into), "empty pipe: would block");
            sink.close();
            assertEquals(-1, source.read(into));
        }
    }

    @Test
    void aDatagramChannelSendsAndReceives() throws IOException {
        try (DatagramChannel receiver = channels.openDatagramChannel(); DatagramChannel sender = DatagramChannel.open()) {
            receiver.bind(LOOPBACK);
            assertNull(receiver.receive(ByteBuffer.allocate(8)), "nothing waits yet");
            sender.bind(LOOPBACK);
            sender.send(ByteBuffer.wrap(new byte[] {7, 7, 7}), receiver.getLocalAddress());
            ByteBuffer into = ByteBuffer.allocate(8);
            java.net.SocketAddress from;
            for (Deadline d = new Deadline("the datagram"); (from = receiver.receive(into)) == null; d.check()) {
                Thread.onSpinWait();
            }
            assertEquals(3, into.position());
            assertEquals(sender.getLocalAddress(), from, "the sender's address, as the JDK gives it");
            assertEquals(2, receiver.send(ByteBuffer.wrap(new byte[] {1, 2}), from));
        }
    }

    private static SocketChannel acceptSoon(ServerSocketChannel server) throws IOException {
        SocketChannel accepted;
        // The client's connect returned; the kernel queues the connection at once.
        for (Deadline d = new Deadline("the connection to accept"); (accepted = server.accept()) == null; d.check()) {
            Thread.onSpinWait();
        }
        return accepted;
    }

    /** Bounds a non-blocking retry loop: these channels have no blocking mode to wait in. */
    private static final class Deadline {
        private final String what;
        private final long end = System.nanoTime() + io.guestloop.tck.Timeouts.AWAIT.toNanos();

        Deadline(String what) {
            this.what = what;
        }

        void check() {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what + " did not come within " + io.guestloop.tck.Timeouts.AWAIT);
            }
        }
    }
}
