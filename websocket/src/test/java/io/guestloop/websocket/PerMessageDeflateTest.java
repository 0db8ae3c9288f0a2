package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import io.guestloop.websocket.internal.CodecPool;
import io.guestloop.websocket.internal.HandshakeKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate (RFC 7692) end to end on this run's backend: our client and our server in
 * each context-takeover combination, and a raw client that sends exactly the compressed bytes a
 * test wants (a zip bomb, corrupt data) and reads what the server put on the wire.
 */
class PerMessageDeflateTest {

    private static final PerMessageDeflateConfig ON = PerMessageDeflateConfig.on();

    private ServerFixture fixture;
    private final long liveBefore = CodecPool.liveCodecs();

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        assertEquals(liveBefore, CodecPool.liveCodecs(), "every Deflater and Inflater was ended with its connection");
    }

    private ServerFixture serve(WebSocketEndpoint endpoint, WebSocketConfig config) {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", endpoint).config(config).build());
        return fixture;
    }

    private WebSocket connect(WebSocketConfig config, WebSocketEndpoint endpoint) {
        URI uri = URI.create("ws://127.0.0.1:" + fixture.address.getPort() + "/echo");
        return Timeouts.await(fixture.onLoop(t -> WebSocketClient.builder().config(config).build().connect(t, uri, endpoint))
                .thenCompose(stage -> stage), "the handshake");
    }

    /** Runs a send on the service thread and returns whether it was accepted. */
    private boolean sent(java.util.function.BooleanSupplier send) {
        Boolean accepted = Timeouts.await(fixture.onLoop(t -> send.getAsBoolean()), "send");
        return accepted;
    }

    private static WebSocketConfig deflating(PerMessageDeflateConfig deflate) {
        return WebSocketConfig.builder().perMessageDeflate(deflate).build();
    }

    private static byte[] json(int size) {
        StringBuilder sb = new StringBuilder(size + 64);
        for (int i = 0; sb.length() < size; i++) {
            sb.append("{\"type\":\"chat\",\"from\":\"visitor-").append(i % 13).append("\",\"text\":\"héllo ").append(i).append("\"},");
        }
        byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[size];
        System.arraycopy(utf8, 0, out, 0, size);
        for (int i = size - 1; i >= 0 && i >= size - 3; i--) {
            out[i] = 'x'; // never end inside a code point
        }
        return out;
    }

    static Stream<Arguments> takeoverCombinations() {
        return Stream.of(
                Arguments.of(ON, ON, "permessage-deflate"),
                Arguments.of(ON.withServerNoContextTakeover(true), ON, "permessage-deflate; server_no_context_takeover"),
                // the server takes the client's offer as a hint only; the client resets its own window all the same
                Arguments.of(ON, ON.withClientNoContextTakeover(true), "permessage-deflate; client_no_context_takeover"),
                Arguments.of(ON.withClientNoContextTakeover(true), ON, "permessage-deflate; client_no_context_takeover"),
                Arguments.of(ON.withServerNoContextTakeover(true).withClientNoContextTakeover(true), ON.withMinMessageSize(0),
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover"));
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("takeoverCombinations")
    void textAndBinaryRoundTripAtEverySize(PerMessageDeflateConfig server, PerMessageDeflateConfig client, String agreed)
            throws Exception {
        RecordingEndpoint echo = new RecordingEndpoint(true);
        serve(echo, deflating(server));
        MessageCollector collector = new MessageCollector();
        WebSocket socket = connect(deflating(client), collector);
        assertEquals(agreed, Timeouts.await(fixture.onLoop(t -> socket.extensions()), "extensions"));
        for (int size : new int[] {0, 125, 64 * 1024, 4 << 20}) {
            byte[] body = json(size);
            String text = new String(body, StandardCharsets.UTF_8);
            for (int copy = 0; copy < 2; copy++) { // the second copy finds the first in a kept window
                assertTrue(sent(() -> socket.sendText(text)));
                assertEquals(text, collector.next(), "text of " + size + " bytes");
                assertTrue(sent(() -> socket.sendBinary(ByteBuffer.wrap(body))));
                assertArrayEquals(body, (byte[]) collector.next(), "binary of " + size + " bytes");
            }
        }
        Timeouts.await(fixture.onLoop(t -> {
            socket.close();
            return null;
        }), "close");
        assertTrue(collector.awaitClose().startsWith("1000"));
        assertTrue(echo.errors.isEmpty(), () -> "server errors: " + echo.errors);
    }

    @ParameterizedTest(name = "fragments with takeover off on our side: {0}")
    @CsvSource({"false", "true"})
    void fragmentedCompressedMessagesWithPingsBetweenFragmentsArriveWhole(boolean noTakeover) throws Exception {
        RecordingEndpoint echo = new RecordingEndpoint(true);
        serve(echo, deflating(ON));
        MessageCollector collector = new MessageCollector();
        WebSocket socket = connect(deflating(ON.withClientNoContextTakeover(noTakeover)), collector);
        String part = new String(json(30_000), StandardCharsets.UTF_8);
        for (int round = 0; round < 2; round++) {
            Timeouts.await(fixture.onLoop(t -> {
                assertTrue(socket.sendTextFragment(part, false));
                assertTrue(socket.ping(ByteBuffer.wrap(new byte[] {1})));
                assertTrue(socket.sendTextFragment(part, false));
                assertTrue(socket.ping(ByteBuffer.wrap(new byte[] {2})));
                assertTrue(socket.sendTextFragment("", true));
                assertTrue(socket.sendBinaryFragment(ByteBuffer.wrap(json(200)), false));
                assertTrue(socket.sendBinaryFragment(ByteBuffer.wrap(json(70_000)), true));
                return null;
            }), "fragmented sends with pings between the fragments");
            assertEquals(part + part, collector.next());
            byte[] binary = new ByteArrayOutputStream() {
                {
                    writeBytes(json(200));
                    writeBytes(json(70_000));
                }
            }.toByteArray();
            assertArrayEquals(binary, (byte[]) collector.next());
        }
        assertEquals("pong:1", collector.nextEvent());
        assertTrue(echo.errors.isEmpty(), () -> "server errors: " + echo.errors);
    }

    // ---- what the server puts on the wire, and what it does with bad compressed data ----

    private static byte[] deflate(byte[] message, int level) {
        return deflate(message, level, 1);
    }

    /** {@code times} copies of {@code message} as one compressed message, its tail removed. */
    private static byte[] deflate(byte[] message, int level, int times) {
        Deflater deflater = new Deflater(level, true);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int i = 0; i < times; i++) {
                deflater.setInput(message);
                while (!deflater.needsInput()) {
                    out.write(buf, 0, deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
                }
            }
            int n;
            do {
                n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            byte[] all = out.toByteArray();
            byte[] stripped = new byte[all.length - 4];
            System.arraycopy(all, 0, stripped, 0, stripped.length);
            return stripped;
        } finally {
            deflater.end();
        }
    }

    @Test
    void theServerAnswersAnOfferAndSendsCompressedFramesWithRsv1OnlyWhenLongEnough() throws Exception {
        serve(new RecordingEndpoint(true), deflating(ON.withMinMessageSize(100)));
        try (RawClient client = new RawClient(fixture.address)) {
            String head = client.upgrade("/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10",
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
            assertTrue(head.contains("\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"), head);
            byte[] message = json(1000);
            client.sendFrame(0xC1, deflate(message, 6)); // FIN, RSV1, text
            RawClient.Frame echo = client.readFrame();
            assertEquals(0x40, client.lastFirstByte() & 0x70, "the long echo is compressed: RSV1 alone");
            assertTrue(echo.payload().length < message.length / 3, "compressed: " + echo.payload().length + " bytes");
            client.sendFrame(0x81, "short".getBytes(StandardCharsets.UTF_8)); // uncompressed, allowed as ever
            RawClient.Frame shortEcho = client.readFrame();
            assertEquals(0, client.lastFirstByte() & 0x70, "below minMessageSize: sent plain");
            assertEquals("short", shortEcho.text());
            client.sendFrame(0x89, new byte[] {5});
            client.readFrame();
            assertEquals(0x8A, client.lastFirstByte(), "control frames are never compressed");
        }
    }

    @Test
    void anOfferItCannotHonourIsDeclinedAndTheConnectionGoesOnPlain() throws Exception {
        serve(new RecordingEndpoint(true), deflating(ON));
        try (RawClient client = new RawClient(fixture.address)) {
            String head = client.upgrade("/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9, permessage-deflate; x=1");
            assertTrue(head.startsWith("HTTP/1.1 101 ") && !head.contains("Sec-WebSocket-Extensions"), head);
            client.sendFrame(0xC1, deflate(json(200), 6));
            assertEquals(CloseCode.PROTOCOL_ERROR, client.readClose().closeCode(), "RSV1 without the extension");
        }
    }

    @Test
    void aZipBombClosesWith1009AfterAtMostTheLimitWasInflated() throws Exception {
        int limit = 1 << 20;
        AtomicLong delivered = new AtomicLong();
        RecordingEndpoint streaming = new RecordingEndpoint(false) {
            @Override
            public boolean streamsMessages() {
                return true;
            }

            @Override
            public void onMessagePart(WebSocket socket, ByteBuffer part, boolean text, boolean last) {
                delivered.addAndGet(part.remaining());
            }
        };
        serve(streaming, WebSocketConfig.builder().maxFramePayload(limit).maxMessageSize(limit).perMessageDeflate(ON).build());
        // 32 MiB of zeros in about 32 KiB: small enough to be read whole before the server closes, so
        // the close frame is not lost to a reset (the ratio is what a bigger bomb has too)
        byte[] bomb = deflate(new byte[1 << 20], 9, 32);
        assertTrue(bomb.length < 64 * 1024, "the bomb is small on the wire: " + bomb.length);
        try (RawClient client = new RawClient(fixture.address)) {
            assertTrue(client.upgrade("/echo", "Sec-WebSocket-Extensions: permessage-deflate").contains("permessage-deflate"));
            client.sendFrame(0xC2, bomb);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, client.readClose().closeCode());
        }
        assertTrue(streaming.awaitClose().startsWith("1009:"));
        assertTrue(delivered.get() <= limit, "inflated before the close: " + delivered.get() + " bytes, limit " + limit);
    }

    @ParameterizedTest(name = "corrupt {0} closes with {1}")
    @CsvSource({"193, 1007", "194, 1002"}) // 0xC1 and 0xC2: FIN, RSV1, text or binary
    void corruptCompressedDataClosesWithTheRightCode(int firstByte, int code) throws Exception {
        RecordingEndpoint endpoint = new RecordingEndpoint(true);
        serve(endpoint, deflating(ON));
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo", "Sec-WebSocket-Extensions: permessage-deflate");
            client.sendFrame(firstByte, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01, 0x02});
            assertEquals(code, client.readClose().closeCode());
        }
        assertTrue(endpoint.awaitClose().startsWith(code + ":"));
    }

    @Test
    void ourClientFailsTheHandshakeWhenTheServerAnswersWhatWasNotOffered() throws Exception {
        serve(new RecordingEndpoint(true), WebSocketConfig.defaults()); // only for a service thread
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (Socket peer = fake.accept()) {
                    peer.setSoTimeout((int) Timeouts.AWAIT.toMillis());
                    String request = readHead(peer.getInputStream());
                    String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst().orElseThrow().substring(19);
                    peer.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + HandshakeKeys.accept(key) + "\r\n"
                            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    peer.getInputStream().read(); // until our client drops the connection
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            URI uri = URI.create("ws://127.0.0.1:" + fake.getLocalPort() + "/echo");
            MessageCollector collector = new MessageCollector();
            CompletableFuture<WebSocket> stage = Timeouts.await(fixture.onLoop(t -> WebSocketClient.builder().config(deflating(ON))
                    .build().connect(t, uri, collector).toCompletableFuture()), "connect");
            AssertionError failure = assertThrows(AssertionError.class, () -> Timeouts.await(stage, "handshake"));
            WebSocketException e = assertInstanceOf(WebSocketException.class, failure.getCause());
            assertTrue(e.getMessage().contains("client_max_window_bits"), e.getMessage());
            Timeouts.await(answered, "the fake server to see the connection dropped");
            assertTrue(!collector.opened.isDone(), "the endpoint hears nothing of a socket that never opened");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("closed inside the request head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void ourClientAgainstAServerWithCompressionOffTalksPlain() throws Exception {
        serve(new RecordingEndpoint(true), WebSocketConfig.defaults());
        MessageCollector collector = new MessageCollector();
        WebSocket socket = connect(deflating(ON), collector);
        assertEquals("", Timeouts.await(fixture.onLoop(t -> socket.extensions()), "extensions"));
        String text = new String(json(5000), StandardCharsets.UTF_8);
        assertTrue(sent(() -> socket.sendText(text)));
        assertEquals(text, collector.next());
    }
}
