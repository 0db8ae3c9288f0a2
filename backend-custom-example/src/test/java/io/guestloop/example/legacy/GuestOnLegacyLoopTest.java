package io.guestloop.example.legacy;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The guest API over the legacy shim: a real echo, and both ways a borrowed loop and a guest part. */
class GuestOnLegacyLoopTest {

    private final LegacyFixture fixture = new LegacyFixture();

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    /** Echoes and remembers the thread it ran on. */
    static final class Echo implements ConnectionHandler {
        final CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            ranOn.complete(Thread.currentThread());
            connection.write(data);
        }
    }

    private GuestContext echoServer(Echo echo) {
        return fixture.contextBuilder(1).listen(new InetSocketAddress("127.0.0.1", 0), echo).build();
    }

    private static String roundTrip(GuestContext guest, String text) throws IOException {
        try (SocketChannel client = SocketChannel.open(guest.listeners().get(0).localAddress())) {
            client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(text.length());
            while (reply.hasRemaining() && client.read(reply) >= 0) {
                // blocking reads until the whole echo is back
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void guestEchoesOnTheLegacyLoopThread() throws IOException {
        Echo echo = new Echo();
        GuestContext guest = echoServer(echo);
        assertEquals("legacy", guest.backendName());
        assertEquals("hello legacy", roundTrip(guest, "hello legacy"));
        assertSame(fixture.host().thread(), Timeouts.await(echo.ranOn, "onData"));
        Timeouts.await(guest.close(), "the guest to close");
    }

    @Test
    void closingTheGuestLeavesTheLegacyLoopServingItsOwnWork() throws IOException {
        GuestContext guest = echoServer(new Echo());
        assertEquals("x", roundTrip(guest, "x"));
        Timeouts.await(guest.close(), "the guest to close");
        assertSame(fixture.host().thread(), Timeouts.await(fixture.runHostTask(0), "a host task after the guest closed"));
    }

    @Test
    void stoppingTheLegacyLoopClosesTheGuest() throws IOException {
        GuestContext guest = echoServer(new Echo());
        assertEquals("x", roundTrip(guest, "x"));
        Timeouts.await(fixture.shutdownHost(), "LegacyLoop.run() to return");
        Timeouts.await(guest.closed(), "the guest to close itself after its host loop stopped");
    }
}
