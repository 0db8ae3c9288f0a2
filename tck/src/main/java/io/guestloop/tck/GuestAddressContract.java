package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which addresses the guest listens on and connects to, and how bad ones are refused: UNIX-domain
 * sockets work like TCP; an unresolved address is refused at the call, and a {@code build()} that
 * fails on one leaves nothing open; an unconnected UDP channel cannot be adopted.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestAddressContract extends GuestShutdownContract {

    @Test
    void unixDomainSocketsListenAndConnect() throws Exception {
        try (GuestHarness probe = harness(1)) {
            probe.context().channelProvider().openServerSocketChannel(java.net.StandardProtocolFamily.UNIX).close();
        } catch (UnsupportedOperationException e) {
            // Netty's epoll and io_uring loops watch their own sockets, which offer TCP and UDP only so far.
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "the " + fixture.backendName()
                    + " loop's channels offer no UNIX-domain sockets: " + e.getMessage());
        }
        Path dir = Files.createTempDirectory("guestloop-tck");
        Path socket = dir.resolve("echo.sock");
        try {
            GuestHarness h = harness(1, b -> b.listen(UnixDomainSocketAddress.of(socket), new ConnectionHandler() {
                @Override
                public void onData(Connection c, ByteBuffer data) {
                    c.write(data);
                }
            }));
            CompletableFuture<String> echoed = new CompletableFuture<>();
            h.run(0, () -> h.thread(0).connect(UnixDomainSocketAddress.of(socket), Duration.ofSeconds(10), new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    c.write(ByteBuffer.wrap("over a unix socket".getBytes(StandardCharsets.UTF_8)));
                }

                @Override
                public void onData(Connection c, ByteBuffer data) {
                    echoed.complete(StandardCharsets.UTF_8.decode(data).toString());
                    c.close();
                }

                @Override
                public void onClosed(Connection c, Throwable cause) {
                    if (cause != null) {
                        echoed.completeExceptionally(cause);
                    }
                }
            }));
            assertEquals("over a unix socket", Timeouts.await(echoed, "the echo over a UNIX-domain socket"));
            Timeouts.await(h.context().close(), "close");
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void connectToAnUnresolvedAddressIsRefusedAtTheCall() {
        GuestHarness h = harness(1);
        IllegalArgumentException e = Timeouts.await(h.submit(0, () -> assertThrows(IllegalArgumentException.class,
                () -> h.thread(0).connect(InetSocketAddress.createUnresolved("example.invalid", 80), Duration.ofSeconds(5),
                        new ConnectionHandler() { }))), "connect on the loop");
        assertTrue(e.getMessage().contains("resolve"), "the message says to resolve the name elsewhere: " + e.getMessage());
    }

    @Test
    void buildThatFailsOnALaterListenerLeavesTheEarlierOnesClosed() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        GuestContext.Builder b = fixture.contextBuilder(1)
                .listen(new InetSocketAddress("127.0.0.1", port), new ConnectionHandler() { })
                .listen(InetSocketAddress.createUnresolved("example.invalid", 0), new ConnectionHandler() { });
        assertThrows(IllegalArgumentException.class, b::build, "build() with an unresolved listen address");
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // the first listener let its port go
        }
    }

    @Test
    void anUnconnectedDatagramChannelIsRefusedByAdopt() throws Exception {
        GuestHarness h = harness(1);
        try (DatagramChannel udp = DatagramChannel.open()) {
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            IllegalArgumentException e = Timeouts.await(h.submit(0, () -> assertThrows(IllegalArgumentException.class,
                    () -> h.thread(0).adopt(udp, new ConnectionHandler() { }))), "adopt on the loop");
            assertTrue(e.getMessage().contains("connect"), "the message says to connect it: " + e.getMessage());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
