package io.guestloop.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An endpoint that takes text as its UTF-8 bytes and echoes them with {@link WebSocket#sendText(ByteBuffer)}. */
class TextAsBytesTest {

    private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final Queue<String> notes = new ConcurrentLinkedQueue<>();
    private ServerFixture fixture;

    private final WebSocketEndpoint endpoint = new WebSocketEndpoint() {
        @Override
        public boolean receivesTextAsBytes() {
            return true;
        }

        @Override
        public void onText(WebSocket socket, String text) {
            errors.add(new AssertionError("onText called for an endpoint that takes text as bytes: " + text));
        }

        @Override
        public void onTextBytes(WebSocket socket, ByteBuffer utf8) {
            notes.add((utf8.isReadOnly() ? "read-only " : "writable ") + utf8.remaining());
            if (utf8.remaining() > 0 && utf8.get(utf8.position()) == '!') {
                // a broken sequence is refused before anything is sent
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> socket.sendText(ByteBuffer.wrap(new byte[] {'a', (byte) 0xC3})));
                notes.add(e.getMessage());
            }
            if (utf8.remaining() > 0 && utf8.get(utf8.position()) == '#') {
                // the handed view, cut inside its last character, is no longer what was checked: checked again
                int limit = utf8.limit();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> socket.sendText(utf8.limit(limit - 1)));
                notes.add(e.getMessage());
                utf8.limit(limit);
            }
            if (!socket.sendText(utf8)) {
                errors.add(new AssertionError("echo refused"));
            }
        }
    };

    @BeforeEach
    void start() {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", endpoint).build());
    }

    @AfterEach
    void stop() {
        fixture.close();
        assertTrue(errors.isEmpty(), () -> "endpoint errors: " + errors);
    }

    @Test
    void aWholeTextArrivesAsReadOnlyValidatedBytesAndEchoesUnchanged() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            byte[] text = "grüße, 東京 😀".getBytes(StandardCharsets.UTF_8);
            client.sendFrame(0x81, text);
            RawClient.Frame echo = client.readFrame();
            assertEquals(0x1, echo.opcode());
            assertEquals("grüße, 東京 😀", echo.text());
            assertEquals("read-only " + text.length, notes.poll());
        }
    }

    @Test
    void aFragmentedTextIsAssembledOnceAndArrivesWhole() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            client.sendFrame(0x01, new byte[] {'a', euro[0]});
            client.sendFrame(0x00, new byte[] {euro[1]});
            client.sendFrame(0x80, new byte[] {euro[2], 'z'});
            assertEquals("a€z", client.readFrame().text());
            assertEquals("read-only 5", notes.poll());
        }
    }

    @Test
    void sendTextOfBytesRefusesInvalidUtf8() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.sendFrame(0x81, "!check".getBytes(StandardCharsets.UTF_8));
            assertEquals("!check", client.readFrame().text());
            assertEquals("read-only 6", notes.poll());
            assertEquals("text ends inside a UTF-8 sequence", notes.poll());
        }
    }

    @Test
    void theHandedBytesMovedInsideACharacterAreCheckedAgainWhenSent() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.sendFrame(0x81, "#cut €".getBytes(StandardCharsets.UTF_8));
            assertEquals("#cut €", client.readFrame().text());
            assertEquals("read-only 8", notes.poll());
            assertEquals("text ends inside a UTF-8 sequence", notes.poll());
        }
    }
}
