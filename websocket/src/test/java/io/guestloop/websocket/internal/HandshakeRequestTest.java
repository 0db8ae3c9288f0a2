package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeRequestTest {

    private static final String UPGRADE = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "Sec-WebSocket-Protocol: superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HandshakeRequest parse(String s) throws MalformedHttpException {
        HandshakeRequest request = new HandshakeRequest(8192);
        assertTrue(request.feed(ascii(s)));
        return request;
    }

    @Test
    void parsesRequestLineAndHeaders() throws Exception {
        HandshakeRequest request = parse(UPGRADE);
        assertEquals("GET", request.method());
        assertEquals("/chat?room=1", request.target());
        assertEquals("/chat", request.path());
        assertEquals(1, request.minorVersion());
        assertEquals("server.example.com", request.header("host"));
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", request.header("sec-websocket-key"));
        assertTrue(HttpHeadParser.containsToken(request.header("connection"), "upgrade"));
    }

    @Test
    void joinsRepeatedHeadersInOrder() throws Exception {
        assertEquals("chat, superchat", parse(UPGRADE).header("sec-websocket-protocol"));
    }

    @Test
    void parsesTheHeadSplitAtEveryBoundary() throws Exception {
        byte[] bytes = UPGRADE.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            HandshakeRequest request = new HandshakeRequest(8192);
            boolean done = request.feed(ByteBuffer.wrap(bytes, 0, split));
            assertEquals(split == bytes.length, done, "split " + split);
            if (!done) {
                assertTrue(request.feed(ByteBuffer.wrap(bytes, split, bytes.length - split)), "split " + split);
            }
            assertEquals("/chat", request.path());
            assertEquals("13", request.header("sec-websocket-version"));
        }
    }

    @Test
    void parsesTheHeadFedOneByteAtATime() throws Exception {
        HandshakeRequest request = new HandshakeRequest(8192);
        byte[] bytes = UPGRADE.getBytes(StandardCharsets.ISO_8859_1);
        int completedAt = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (request.feed(ByteBuffer.wrap(bytes, i, 1))) {
                completedAt = i;
                break;
            }
        }
        assertEquals(bytes.length - 1, completedAt);
    }

    @Test
    void leavesBytesAfterTheHeadInTheBuffer() throws Exception {
        ByteBuffer in = ascii(UPGRADE + "\u0081\u0080");
        assertTrue(new HandshakeRequest(8192).feed(in));
        assertEquals(2, in.remaining());
    }

    @Test
    void refusesAHeadLargerThanTheLimitBeforeItEnds() {
        HandshakeRequest request = new HandshakeRequest(100);
        String big = "GET / HTTP/1.1\r\nX-Filler: " + "a".repeat(200);
        MalformedHttpException e = assertThrows(MalformedHttpException.class, () -> request.feed(ascii(big)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void acceptsAHeadExactlyAtTheLimit() throws Exception {
        int size = UPGRADE.length();
        assertTrue(new HandshakeRequest(size).feed(ascii(UPGRADE)));
        assertThrows(MalformedHttpException.class, () -> new HandshakeRequest(size - 1).feed(ascii(UPGRADE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 extra\r\n\r\n",
            "GET chat HTTP/1.1\r\n\r\n",
            "GET http://x/ HTTP/1.1\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "GET / HTTPS/1.1\r\n\r\n",
            "G(T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            "GET / HTTP/1.1\r\nno colon here\r\n\r\n",
            "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n",
            "\r\n\r\n",
    })
    void refusesMalformedHeadsWith400(String head) {
        MalformedHttpException e = assertThrows(MalformedHttpException.class, () -> new HandshakeRequest(8192).feed(ascii(head)));
        assertEquals(400, e.status());
    }

    @Test
    void acceptsHttp10ForPlainRequests() throws Exception {
        assertEquals(0, parse("GET / HTTP/1.0\r\n\r\n").minorVersion());
        assertNull(parse("GET / HTTP/1.0\r\n\r\n").header("upgrade"));
    }

    @Test
    void doesNotCompleteWithoutTheEmptyLine() throws Exception {
        assertFalse(new HandshakeRequest(8192).feed(ascii("GET / HTTP/1.1\r\nHost: x\r\n")));
    }
}
