package io.guestloop.websocket.internal;

import io.guestloop.websocket.PerMessageDeflateConfig;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static HttpResponseHead response(String head) throws MalformedHttpException {
        HttpResponseHead response = new HttpResponseHead(8192);
        assertTrue(response.feed(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1))));
        return response;
    }

    private static String switching(String extra) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n" + extra + "\r\n";
    }

    @Test
    void computesTheAcceptKeyOfRfc6455() {
        assertEquals(ACCEPT, HandshakeKeys.accept(KEY));
    }

    @Test
    void newKeysAreValidAndDiffer() {
        String a = HandshakeKeys.newKey();
        assertTrue(HandshakeKeys.isValidKey(a));
        assertTrue(!a.equals(HandshakeKeys.newKey()));
        assertTrue(!HandshakeKeys.isValidKey("short"));
        assertTrue(!HandshakeKeys.isValidKey("dGhlIHNhbXBsZSBub25jZQ="));
        assertTrue(!HandshakeKeys.isValidKey("dGhlIHNhbXBsZSBub25jZQ*="));
        assertTrue(!HandshakeKeys.isValidKey(null));
    }

    @Test
    void requestCarriesKeyVersionAndSubprotocols() {
        ClientHandshake handshake = new ClientHandshake(KEY, List.of("chat", "superchat"));
        ByteBuffer request = handshake.request("example.com:8080", "/chat?x=1", "http://example.com");
        String text = StandardCharsets.ISO_8859_1.decode(request).toString();
        assertTrue(text.startsWith("GET /chat?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n"), text);
        assertTrue(text.contains("Sec-WebSocket-Key: " + KEY + "\r\n"));
        assertTrue(text.contains("Sec-WebSocket-Version: 13\r\n"));
        assertTrue(text.contains("Sec-WebSocket-Protocol: chat, superchat\r\n"));
        assertTrue(text.contains("Origin: http://example.com\r\n"));
        assertTrue(text.endsWith("\r\n\r\n"));
    }

    @Test
    void acceptsACorrectAnswer() throws Exception {
        assertNull(new ClientHandshake(KEY, List.of()).verify(response(switching(""))));
        assertEquals("chat", new ClientHandshake(KEY, List.of("x", "chat"))
                .verify(response(switching("Sec-WebSocket-Protocol: chat\r\n"))));
    }

    @Test
    void refusesAWrongAcceptKey() {
        String head = switching("").replace(ACCEPT, HandshakeKeys.accept("AAAAAAAAAAAAAAAAAAAAAA=="));
        assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of()).verify(response(head)));
    }

    @Test
    void refusesANon101Status() throws Exception {
        HttpResponseHead head = response("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\n");
        MalformedHttpException e = assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of()).verify(head));
        assertEquals(426, e.status());
        assertTrue(e.getMessage().contains("426"));
    }

    @Test
    void refusesASubprotocolThatWasNotOffered() {
        assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of("chat"))
                .verify(response(switching("Sec-WebSocket-Protocol: other\r\n"))));
    }

    @Test
    void refusesAnExtensionThatWasNotOffered() {
        assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of())
                .verify(response(switching("Sec-WebSocket-Extensions: permessage-deflate\r\n"))));
    }

    @Test
    void offersPermessageDeflateAndTakesTheServersAgreement() throws Exception {
        ClientHandshake handshake = new ClientHandshake(KEY, List.of(), PerMessageDeflateConfig.on().withClientNoContextTakeover(true));
        String text = StandardCharsets.ISO_8859_1.decode(handshake.request("h", "/", null)).toString();
        assertTrue(text.contains("Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"), text);
        handshake.verify(response(switching("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n")));
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", handshake.deflate().header());

        ClientHandshake declined = new ClientHandshake(KEY, List.of(), PerMessageDeflateConfig.on());
        declined.verify(response(switching("")));
        assertNull(declined.deflate(), "a server that answers no extension declined it: the connection goes on plain");
        assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of(), PerMessageDeflateConfig.on())
                .verify(response(switching("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10\r\n"))));
    }

    @Test
    void refusesAnAnswerWithoutUpgradeTokens() {
        assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of())
                .verify(response(switching("").replace("Upgrade: websocket\r\n", ""))));
        assertThrows(MalformedHttpException.class, () -> new ClientHandshake(KEY, List.of())
                .verify(response(switching("").replace("Connection: Upgrade\r\n", "Connection: close\r\n"))));
    }

    @Test
    void responseParserLeavesTheFirstFrameInTheBufferAndSurvivesEverySplit() throws Exception {
        byte[] bytes = (switching("") + "\u0081\u0002hi").getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split < bytes.length; split++) {
            HttpResponseHead head = new HttpResponseHead(8192);
            ByteBuffer first = ByteBuffer.wrap(bytes, 0, split);
            ByteBuffer rest = ByteBuffer.wrap(bytes, split, bytes.length - split);
            if (!head.feed(first)) {
                assertTrue(head.feed(rest), "split " + split);
            }
            assertEquals(4, first.remaining() + rest.remaining(), "split " + split);
            assertEquals(101, head.status());
        }
    }

    @Test
    void responseParserRefusesAMalformedStatusLine() {
        assertThrows(MalformedHttpException.class, () -> new HttpResponseHead(8192)
                .feed(ByteBuffer.wrap("HTTP/1.1 1O1 Nope\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))));
        assertThrows(MalformedHttpException.class, () -> new HttpResponseHead(8192)
                .feed(ByteBuffer.wrap("ICY 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))));
    }
}
