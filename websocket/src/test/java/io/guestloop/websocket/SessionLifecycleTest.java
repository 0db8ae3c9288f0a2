package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Close handshake started by the server, timeouts, keep-alive, backpressure and endpoint failures. */
class SessionLifecycleTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void serve(WebSocketEndpoint endpoint, WebSocketConfig config) {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/ws", endpoint).config(config).build());
    }

    @Test
    void serverCloseWaitsForTheClientsCloseThenEndsTheConnection() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false) {
            @Override
            public void onText(WebSocket socket, String text) {
                socket.close(4001, "done with " + text);
                assertTrue(!socket.sendText("refused after close"));
            }
        };
        serve(endpoint, WebSocketConfig.defaults());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            client.sendFrame(0x81, "x".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame close = client.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(4001, close.closeCode());
            assertEquals("done with x", new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8));
            client.sendFrame(0x88, RawClient.closePayload(4001, ""));
            assertTrue(client.readsEndOfStream());
        }
        assertEquals("4001:", endpoint.awaitClose());
    }

    @Test
    void serverCloseDropsAClientThatNeverAnswersAfterTheCloseTimeout() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false) {
            @Override
            public void onOpen(WebSocket socket) {
                socket.close(CloseCode.GOING_AWAY, "bye");
            }
        };
        serve(endpoint, WebSocketConfig.builder().closeTimeout(Duration.ofMillis(200)).build());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            assertEquals(1001, client.readFrame().closeCode());
            assertTrue(client.readsEndOfStream());
        }
        assertEquals("1006:", endpoint.awaitClose());
    }

    @Test
    void idleTimeoutClosesASilentConnectionWith1001() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(true);
        serve(endpoint, WebSocketConfig.builder().idleTimeout(Duration.ofMillis(200)).closeTimeout(Duration.ofMillis(200)).build());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            assertEquals(1001, client.readClose().closeCode());
            assertTrue(client.readsEndOfStream());
        }
    }

    @Test
    void keepAliveSendsPingsToASilentPeer() throws Exception {
        serve(new RecordingEndpoint(true), WebSocketConfig.builder().pingInterval(Duration.ofMillis(50)).build());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            assertEquals(0x9, client.readFrame().opcode());
            client.sendFrame(0x8A, new byte[0]);
            assertEquals(0x9, client.readFrame().opcode(), "pings continue while the peer stays otherwise silent");
        }
    }

    @Test
    void pongsKeepAPingedConnectionFromGoingIdle() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(true);
        serve(endpoint, WebSocketConfig.builder().pingInterval(Duration.ofMillis(30)).idleTimeout(Duration.ofMillis(400)).build());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            // 20 pings at 30 ms span well over the 400 ms idle timeout: only the pongs keep it open
            for (int pings = 0; pings < 20; pings++) {
                RawClient.Frame f = client.readFrame();
                assertEquals(0x9, f.opcode(), "only pings while the client answers them");
                client.sendFrame(0x8A, f.payload());
            }
            assertTrue(!endpoint.closed.isDone(), "still open");
        }
    }

    @Test
    void slowReaderMakesSendsRefusedAndWritableAgainOnceItReads() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicLong sentBytes = new AtomicLong();
        CompletableFuture<Integer> refusedAfter = new CompletableFuture<>();
        CompletableFuture<Boolean> writableAgain = new CompletableFuture<>();
        CompletableFuture<Boolean> unwritable = new CompletableFuture<>();
        WebSocketEndpoint flooder = new WebSocketEndpoint() {
            @Override
            public void onOpen(WebSocket socket) {
                ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
                // a peer that does not read: the queue fills and sends are refused, never unbounded
                for (int i = 0; i < 100_000; i++) {
                    if (!socket.sendBinary(chunk.clear())) {
                        refusedAfter.complete(i);
                        return;
                    }
                    accepted.incrementAndGet();
                    sentBytes.addAndGet(16 * 1024);
                }
                refusedAfter.complete(-1);
            }

            @Override
            public void onWritabilityChanged(WebSocket socket, boolean writable) {
                (writable ? writableAgain : unwritable).complete(writable);
            }
        };
        serve(flooder, WebSocketConfig.defaults());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            int refusedAt = Timeouts.await(refusedAfter, "a refused send");
            assertTrue(refusedAt > 0, "sends were accepted until the queue filled, then refused: " + refusedAt);
            Timeouts.await(unwritable, "onWritabilityChanged(false)");
            for (int i = 0; i < accepted.get(); i++) {
                assertEquals(16 * 1024, client.readFrame().payload().length);
            }
            Timeouts.await(writableAgain, "onWritabilityChanged(true)");
        }
    }

    @Test
    void anEndpointExceptionClosesWith1011AndReachesOnError() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false) {
            @Override
            public void onText(WebSocket socket, String text) {
                throw new IllegalStateException("boom");
            }
        };
        serve(endpoint, WebSocketConfig.defaults());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            client.sendFrame(0x81, "x".getBytes(StandardCharsets.UTF_8));
            assertEquals(1011, client.readFrame().closeCode());
            assertTrue(client.readsEndOfStream());
        }
        assertEquals("boom", assertInstanceOf(IllegalStateException.class, endpoint.errors.take()).getMessage());
        assertEquals("1011:internal error", endpoint.awaitClose());
    }

    @Test
    void sendingFromAnotherThreadThrowsWrongThreadAndTheMailboxPathWorks() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false);
        serve(endpoint, WebSocketConfig.defaults());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            WebSocket socket = Timeouts.await(endpoint.opened, "onOpen");
            assertThrows(io.guestloop.WrongThreadException.class, () -> socket.sendText("from the test thread"));
            boolean sent = Timeouts.await(fixture.onLoop(t -> socket.sendText("via the loop")), "send on the loop");
            assertTrue(sent);
            assertEquals("via the loop", client.readFrame().text());
        }
    }

    @Test
    void streamsAFragmentedMessageAndRefusesToMixItWithAWholeOne() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false);
        serve(endpoint, WebSocketConfig.defaults());
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            WebSocket socket = Timeouts.await(endpoint.opened, "onOpen");
            Timeouts.await(fixture.onLoop(t -> {
                assertTrue(socket.sendTextFragment("Hel", false));
                assertThrows(IllegalStateException.class, () -> socket.sendText("whole"));
                assertThrows(IllegalStateException.class, () -> socket.sendBinaryFragment(ByteBuffer.allocate(1), true));
                assertTrue(socket.ping(ByteBuffer.wrap(new byte[] {7})));
                assertTrue(socket.sendTextFragment("lo", true));
                return null;
            }), "streamed send");
            RawClient.Frame first = client.readFrame();
            assertEquals(0x1, first.opcode());
            assertTrue(!first.fin());
            assertEquals(0x9, client.readFrame().opcode());
            RawClient.Frame last = client.readFrame();
            assertEquals(0x0, last.opcode());
            assertTrue(last.fin());
            assertEquals("lo", last.text());
        }
    }
}
