package io.guestloop.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerHandshakeTest {

    private final RecordingEndpoint endpoint = new RecordingEndpoint(true);
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        WebSocketConfig config = WebSocketConfig.builder().maxHandshakeSize(1024)
                .handshakeTimeout(Duration.ofMillis(300)).closeTimeout(Duration.ofMillis(300)).build();
        fixture = new ServerFixture(WebSocketServer.builder()
                .endpoint("/echo", endpoint)
                .endpoint("/chat", endpoint, "chat.v2", "chat.v1")
                .endpoint("/guarded", endpoint)
                .page("/", "text/html; charset=utf-8", "<h1>hi</h1>".getBytes(StandardCharsets.UTF_8))
                .originCheck(origin -> origin == null || origin.equals("http://good.example"))
                .config(config)
                .build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String answer(String request) throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.send(request);
            return new String(client.readToEnd(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void acceptsAnUpgradeWithTheKeyOfRfc6455() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            String head = client.upgrade("/echo");
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
            assertFalse(head.contains("Sec-WebSocket-Protocol"), head);
        }
    }

    @Test
    void routesByPathIgnoringTheQuery() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            assertTrue(client.upgrade("/echo?token=1").startsWith("HTTP/1.1 101 "));
            WebSocket socket = io.guestloop.tck.Timeouts.await(endpoint.opened, "onOpen");
            assertEquals("/echo?token=1", fixture.onLoop(t -> socket.requestTarget()).get());
        }
    }

    @Test
    void choosesTheFirstOfferedSubprotocolTheEndpointSpeaks() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            String head = client.upgrade("/chat", "Sec-WebSocket-Protocol: chat.v0, chat.v1, chat.v2");
            assertTrue(head.contains("Sec-WebSocket-Protocol: chat.v1\r\n"), head);
        }
    }

    @Test
    void omitsTheSubprotocolWhenNoneIsInCommon() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            String head = client.upgrade("/chat", "Sec-WebSocket-Protocol: other");
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertFalse(head.contains("Sec-WebSocket-Protocol"), head);
        }
    }

    @Test
    void answersAnotherVersionWith426NamingVersion13() throws Exception {
        String answer = answer(RawClient.upgradeRequest("/echo", "Sec-WebSocket-Version: 8"));
        assertTrue(answer.startsWith("HTTP/1.1 426 "), answer);
        assertTrue(answer.contains("Sec-WebSocket-Version: 13\r\n"), answer);
    }

    @Test
    void answersAMalformedRequestWith400() throws Exception {
        assertTrue(answer("GET /echo HTTP/1.1\r\nHost x\r\n\r\n").startsWith("HTTP/1.1 400 "));
    }

    @Test
    void answersAnOversizedRequestWith400() throws Exception {
        String answer = answer("GET /echo HTTP/1.1\r\nX-Filler: " + "a".repeat(1100) + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    }

    @Test
    void answersABadKeyWith400() throws Exception {
        String request = RawClient.upgradeRequest("/echo").replace("dGhlIHNhbXBsZSBub25jZQ==", "short");
        assertTrue(answer(request).startsWith("HTTP/1.1 400 "));
    }

    @Test
    void answersAnUpgradeWithoutConnectionUpgradeWith400() throws Exception {
        String request = RawClient.upgradeRequest("/echo").replace("Connection: Upgrade", "Connection: keep-alive");
        assertTrue(answer(request).startsWith("HTTP/1.1 400 "));
    }

    @Test
    void answersAnUpgradeToAnUnknownPathWith404() throws Exception {
        assertTrue(answer(RawClient.upgradeRequest("/nowhere")).startsWith("HTTP/1.1 404 "));
    }

    @Test
    void answersARefusedOriginWith403() throws Exception {
        assertTrue(answer(RawClient.upgradeRequest("/guarded", "Origin: http://evil.example")).startsWith("HTTP/1.1 403 "));
        try (RawClient client = new RawClient(fixture.address)) {
            assertTrue(client.upgrade("/guarded", "Origin: http://good.example").startsWith("HTTP/1.1 101 "));
        }
    }

    @Test
    void servesTheStaticPageToAPlainGet() throws Exception {
        String answer = answer("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.contains("Content-Type: text/html; charset=utf-8\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\n<h1>hi</h1>"), answer);
    }

    @Test
    void answersAPlainGetOfAnyOtherPathWith404AndNeverTouchesFiles() throws Exception {
        assertTrue(answer("GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 404 "));
        assertTrue(answer("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 404 "));
    }

    @Test
    void closesAConnectionThatDoesNotCompleteTheHandshakeInTime() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.send("GET /echo HTTP/1.1\r\n");
            assertTrue(client.readsEndOfStream());
        }
    }
}
