package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our client against our server, and the JDK's java.net.http.WebSocket client against our server. */
class ClientInteropTest {

    private final RecordingEndpoint serverSide = new RecordingEndpoint(true);
    private ServerFixture fixture;
    private URI uri;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(WebSocketServer.builder()
                .endpoint("/echo", serverSide, "echo.v1")
                .build());
        uri = URI.create("ws://127.0.0.1:" + fixture.address.getPort() + "/echo");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + 5);
        }
        return b;
    }

    @Test
    void ourClientEchoesTextAndBinaryOfEveryLengthFormThroughOurServer() throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocketClient client = WebSocketClient.builder().subprotocols("echo.v0", "echo.v1").build();
        WebSocket socket = Timeouts.await(fixture.onLoop(t -> client.connect(t, uri, collector))
                .thenCompose(stage -> stage), "client handshake");
        assertEquals("echo.v1", Timeouts.await(fixture.onLoop(t -> socket.subprotocol()), "subprotocol"));
        for (int length : new int[] {0, 125, 126, 65535, 65536, 4 << 20}) {
            byte[] body = bytes(length);
            boolean sent = Timeouts.await(fixture.onLoop(t -> socket.sendBinary(ByteBuffer.wrap(body))), "send");
            assertTrue(sent);
            assertArrayEquals(body, (byte[]) collector.next(), "length " + length);
            String text = "ü".repeat(length / 2);
            sent = Timeouts.await(fixture.onLoop(t -> socket.sendText(text)), "send");
            assertTrue(sent);
            assertEquals(text, collector.next(), "length " + length);
        }
        Timeouts.await(fixture.onLoop(t -> {
            socket.close(CloseCode.NORMAL, "finished");
            return null;
        }), "close");
        assertEquals("1000:", collector.awaitClose(), "the server echoed our code");
        assertEquals("1000:finished", serverSide.awaitClose());
    }

    @Test
    void ourClientSendsStreamedFragmentsThatTheServerAssembles() throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocket socket = Timeouts.await(fixture.onLoop(t -> WebSocketClient.builder().build().connect(t, uri, collector))
                .thenCompose(stage -> stage), "client handshake");
        Timeouts.await(fixture.onLoop(t -> {
            socket.sendBinaryFragment(ByteBuffer.wrap(new byte[] {1, 2}), false);
            socket.ping(ByteBuffer.allocate(0));
            socket.sendBinaryFragment(ByteBuffer.wrap(new byte[] {3}), true);
            return null;
        }), "streamed send");
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) collector.next());
    }

    @Test
    void ourClientFailsTheStageWhenTheServerRefusesTheHandshake() {
        URI nowhere = URI.create("ws://127.0.0.1:" + fixture.address.getPort() + "/nowhere");
        MessageCollector collector = new MessageCollector();
        CompletableFuture<WebSocket> stage = Timeouts.await(fixture.onLoop(t -> WebSocketClient.builder().build()
                .connect(t, nowhere, collector).toCompletableFuture()), "connect");
        AssertionError failure = assertThrows(AssertionError.class, () -> Timeouts.await(stage, "handshake"));
        WebSocketException e = assertInstanceOf(WebSocketException.class, failure.getCause());
        assertEquals(404, e.httpStatus());
        assertTrue(!collector.opened.isDone(), "the endpoint hears nothing of a socket that never opened");
    }

    @Test
    void ourClientRefusesAnotherScheme() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.builder().build()
                .connect(null, URI.create("http://127.0.0.1/echo"), new MessageCollector()));
    }

    @Test
    void theJdkClientEchoesTextAndBinaryThroughOurServer() throws Exception {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                binary.writeBytes(chunk);
                if (last) {
                    received.add(binary.toByteArray());
                    binary = new java.io.ByteArrayOutputStream();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(java.net.http.WebSocket ws, ByteBuffer message) {
                received.add("pong");
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(java.net.http.WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        java.net.http.WebSocket ws = Timeouts.await(http.newWebSocketBuilder().subprotocols("echo.v1")
                .buildAsync(uri, listener), "JDK client handshake");
        assertEquals("echo.v1", ws.getSubprotocol());
        for (int length : new int[] {0, 125, 126, 65535, 65536, 4 << 20}) {
            String text = "ж".repeat(length / 2);
            Timeouts.await(ws.sendText(text, true), "send text");
            assertEquals(text, received.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS), "length " + length);
            byte[] body = bytes(length);
            Timeouts.await(ws.sendBinary(ByteBuffer.wrap(body), true), "send binary");
            assertArrayEquals(body, (byte[]) received.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS), "length " + length);
        }
        Timeouts.await(ws.sendText("frag", false), "first fragment");
        Timeouts.await(ws.sendPing(ByteBuffer.wrap(new byte[] {1})), "ping between fragments");
        Timeouts.await(ws.sendText("ment", true), "last fragment");
        assertEquals("pong", received.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("fragment", received.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS));
        Timeouts.await(ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye"), "JDK close");
        assertEquals(1000, Timeouts.await(closed, "JDK onClose"));
        assertEquals("1000:bye", serverSide.awaitClose());
    }
}
