package io.guestloop.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with no origin check configured refuses a browser's upgrade from another site (403) and
 * accepts one from its own origin or from a client that sends no {@code Origin}; one call opts out.
 */
class OriginDefaultTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void serve(WebSocketServer.Builder builder) {
        // a short close timeout: after a refusal the server waits that long for the client to hang up
        fixture = new ServerFixture(builder.endpoint("/echo", new RecordingEndpoint(true))
                .config(WebSocketConfig.builder().closeTimeout(java.time.Duration.ofMillis(200)).build()).build());
    }

    /** The answer's status line to an upgrade with this {@code Host} and, unless null, this {@code Origin}. */
    private String statusFor(String host, String origin) throws Exception {
        String request = "GET /echo HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        try (RawClient client = new RawClient(fixture.address)) {
            client.send(request);
            String head = client.readHead();
            return head.substring(0, head.indexOf("\r\n"));
        }
    }

    private String self() {
        return "127.0.0.1:" + fixture.address.getPort();
    }

    @Test
    void anUpgradeFromAnotherSiteIsRefusedWith403ByDefault() throws Exception {
        serve(WebSocketServer.builder());
        assertTrue(statusFor(self(), "http://evil.example").startsWith("HTTP/1.1 403 "));
        assertTrue(statusFor(self(), "http://127.0.0.1:1").startsWith("HTTP/1.1 403 "), "another port is another origin");
        assertTrue(statusFor(self(), "null").startsWith("HTTP/1.1 403 "), "an opaque origin is refused");
    }

    @Test
    void anUpgradeFromTheServersOwnOriginIsAccepted() throws Exception {
        serve(WebSocketServer.builder());
        assertTrue(statusFor(self(), "http://" + self()).startsWith("HTTP/1.1 101 "));
        assertTrue(statusFor("LOCALHOST:" + fixture.address.getPort(), "http://localhost:" + fixture.address.getPort())
                .startsWith("HTTP/1.1 101 "), "host names compare ignoring case");
    }

    @Test
    void anUpgradeWithoutOriginIsAccepted() throws Exception {
        serve(WebSocketServer.builder());
        assertTrue(statusFor(self(), null).startsWith("HTTP/1.1 101 "), "a client that is not a browser sends no Origin");
    }

    @Test
    void allowAnyOriginOptsOut() throws Exception {
        serve(WebSocketServer.builder().allowAnyOrigin());
        assertTrue(statusFor(self(), "http://evil.example").startsWith("HTTP/1.1 101 "));
    }

    @Test
    void theRefusalSaysWhichOrigin() throws Exception {
        serve(WebSocketServer.builder());
        try (RawClient client = new RawClient(fixture.address)) {
            client.send(RawClient.upgradeRequest("/echo", "Origin: http://evil.example"));
            String answer = new String(client.readToEnd(), StandardCharsets.UTF_8);
            assertTrue(answer.contains("origin http://evil.example is not allowed"), answer);
        }
    }
}
