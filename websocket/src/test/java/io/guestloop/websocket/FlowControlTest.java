package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inbound flow control ({@link WebSocket#pause()}/{@link WebSocket#resume()}) and streamed
 * messages ({@link WebSocketEndpoint#onMessagePart}): an endpoint decides how much it takes, and
 * nothing it did not take yet is lost.
 */
class FlowControlTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void serve(WebSocketEndpoint endpoint) {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/ws", endpoint).build());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Frames {@code "0"} to {@code "n-1"}, masked, back to back in one array (one write). */
    private static byte[] numberedTexts(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(RawClient.frame(0x81, true, utf8(Integer.toString(i))));
        }
        return out.toByteArray();
    }

    /** Waits until the service thread has finished the turn it is in, and the one after. */
    private void letTheLoopTurn() {
        for (int i = 0; i < 2; i++) {
            Timeouts.await(fixture.onLoop(t -> null), "a turn of the loop");
        }
    }

    @Test
    void aPauseInsideOnTextHoldsBackTheFramesAlreadyReadUntilResume() throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        CompletableFuture<WebSocket> pausedAtFirst = new CompletableFuture<>();
        CountDownLatch all = new CountDownLatch(5);
        serve(new WebSocketEndpoint() {
            @Override
            public void onText(WebSocket socket, String text) {
                texts.add(text);
                all.countDown();
                if (texts.size() == 1) {
                    socket.pause();
                    pausedAtFirst.complete(socket);
                }
            }
        });
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            client.send(numberedTexts(5)); // one write: the five frames most likely arrive in one read
            WebSocket socket = Timeouts.await(pausedAtFirst, "the first message");
            letTheLoopTurn();
            assertEquals(List.of("0"), texts, "nothing after the message that paused");
            assertEquals(Boolean.TRUE, Timeouts.await(fixture.onLoop(t -> socket.isPaused()), "isPaused"));
            int deliveredInsideResume = Timeouts.await(fixture.onLoop(t -> {
                socket.resume();
                return texts.size() - 1;
            }), "resume");
            assertEquals(0, deliveredInsideResume, "resume delivers on a later turn, never inside the call");
            Timeouts.await(all, "the held-back messages");
            assertEquals(List.of("0", "1", "2", "3", "4"), texts);
        }
    }

    @Test
    void pausingAfterEveryMessageLosesNothingAndKeepsTheOrder() throws Exception {
        int n = 3000;
        List<String> texts = new ArrayList<>(); // loop thread only, read after the latch
        CountDownLatch all = new CountDownLatch(n);
        serve(new WebSocketEndpoint() {
            @Override
            public void onText(WebSocket socket, String text) {
                texts.add(text);
                all.countDown();
                socket.pause();
                socket.serviceThread().schedule(Duration.ZERO, socket::resume);
            }
        });
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            client.send(numberedTexts(n));
            Timeouts.await(all, "every message");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, Timeouts.await(fixture.onLoop(t -> List.copyOf(texts)), "the messages"));
        }
    }

    @Test
    void aPauseInOnOpenHoldsBackTheFramesThatCameWithTheHandshake() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false) {
            @Override
            public void onOpen(WebSocket socket) {
                socket.pause();
                super.onOpen(socket);
            }
        };
        serve(endpoint);
        try (RawClient client = new RawClient(fixture.address)) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(RawClient.upgradeRequest("/ws").getBytes(StandardCharsets.ISO_8859_1));
            both.writeBytes(RawClient.frame(0x81, true, utf8("early")));
            client.send(both.toByteArray());
            assertTrue(client.readHead().startsWith("HTTP/1.1 101 "));
            WebSocket socket = Timeouts.await(endpoint.opened, "onOpen");
            letTheLoopTurn();
            assertTrue(endpoint.events.isEmpty(), "held while paused: " + endpoint.events);
            fixture.onLoop(t -> {
                socket.resume();
                return null;
            });
            assertEquals("text:early", endpoint.nextEvent());
        }
    }

    @Test
    void closeResumesAPausedSocketSoThePeersCloseIsRead() throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(false) {
            @Override
            public void onOpen(WebSocket socket) {
                socket.pause();
                socket.close(4002, "paused and closing");
                super.onOpen(socket);
            }
        };
        serve(endpoint);
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            assertEquals(4002, client.readFrame().closeCode());
            client.sendFrame(0x88, RawClient.closePayload(4002, ""));
            assertTrue(client.readsEndOfStream());
        }
        assertEquals("4002:", endpoint.awaitClose(), "the peer's close was read, not timed out (1006)");
    }

    /** Records every part a streaming endpoint is given, and can pause after each. */
    private static final class PartRecorder implements WebSocketEndpoint {
        final boolean pauseEachPart;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();   // loop thread only
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CompletableFuture<byte[]> message = new CompletableFuture<>();
        final CompletableFuture<WebSocket> firstPart = new CompletableFuture<>();
        volatile boolean wholeMessageDelivered;

        PartRecorder(boolean pauseEachPart) {
            this.pauseEachPart = pauseEachPart;
        }

        @Override
        public boolean streamsMessages() {
            return true;
        }

        @Override
        public void onMessagePart(WebSocket socket, ByteBuffer part, boolean text, boolean last) {
            calls.add((text ? "text " : "binary ") + part.remaining() + (last ? " last" : ""));
            byte[] b = new byte[part.remaining()];
            part.get(b);
            bytes.writeBytes(b);
            firstPart.complete(socket);
            if (last) {
                message.complete(bytes.toByteArray());
                bytes.reset();
            } else if (pauseEachPart) {
                socket.pause();
                socket.serviceThread().schedule(Duration.ZERO, socket::resume);
            }
        }

        @Override
        public void onText(WebSocket socket, String text) {
            wholeMessageDelivered = true;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            // expected where a test breaks the protocol; the close code says it
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            wholeMessageDelivered = true;
        }
    }

    @Test
    void aStreamingEndpointGetsAFragmentedMessageInPartsEndedByOneLastPart() throws Exception {
        PartRecorder endpoint = new PartRecorder(false);
        serve(endpoint);
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            byte[] euro = utf8("€");
            client.sendFrame(0x01, new byte[] {'a', euro[0]});
            client.sendFrame(0x89, utf8("between"));
            client.sendFrame(0x00, new byte[] {euro[1], euro[2]});
            client.sendFrame(0x80, new byte[] {'z'});
            assertEquals("a€z", new String(Timeouts.await(endpoint.message, "the whole message"), StandardCharsets.UTF_8));
            assertEquals(0xA, client.readFrame().opcode(), "the ping between the fragments is answered");
        }
        assertFalse(endpoint.wholeMessageDelivered, "a streaming endpoint is never given the assembled message");
        List<String> calls = endpoint.calls;
        assertEquals("text 0 last", calls.get(calls.size() - 1));
        assertTrue(calls.subList(0, calls.size() - 1).stream().allMatch(c -> c.startsWith("text ") && !c.endsWith("last")), calls.toString());
    }

    @Test
    void aPauseInsideAPartHoldsBackTheRestOfALargeMessage() throws Exception {
        PartRecorder endpoint = new PartRecorder(true);
        serve(endpoint);
        byte[] body = new byte[3 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + i / 4093);
        }
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    client.sendFrame(0x82, body);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            assertArrayEquals(body, Timeouts.await(endpoint.message, "the whole message, part by part"));
            Timeouts.await(sent, "the message sent");
        }
        assertTrue(endpoint.calls.size() > 2, "a 3 MiB frame comes in several parts: " + endpoint.calls.size());
        assertEquals("binary 0 last", endpoint.calls.get(endpoint.calls.size() - 1));
    }

    @Test
    void aStreamedTextThatTurnsOutInvalidClosesWith1007AfterThePartsBeforeIt() throws Exception {
        PartRecorder endpoint = new PartRecorder(false);
        serve(endpoint);
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/ws");
            client.sendFrame(0x01, utf8("fine so far"));
            Timeouts.await(endpoint.firstPart, "the first part");
            client.sendFrame(0x80, new byte[] {(byte) 0xC0, (byte) 0xAF});
            assertEquals(1007, client.readClose().closeCode());
        }
        assertEquals(List.of("text 11"), endpoint.calls, "no last part for a message that failed");
    }
}
