package io.guestloop.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each protocol violation ends in a close frame with its code, then the server closes the socket. */
class ServerProtocolErrorTest {

    private final RecordingEndpoint endpoint = new RecordingEndpoint(true);
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        WebSocketConfig config = WebSocketConfig.builder().maxFramePayload(1000).maxMessageSize(1500).build();
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", endpoint).config(config).build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("unmasked client frame", RawClient.frame(0x81, false, utf8("hi")), 1002),
                Arguments.of("reserved bit RSV1", RawClient.frame(0xC1, true, utf8("hi")), 1002),
                Arguments.of("reserved bit RSV3", RawClient.frame(0x91, true, utf8("hi")), 1002),
                Arguments.of("reserved data opcode", RawClient.frame(0x83, true, utf8("hi")), 1002),
                Arguments.of("reserved control opcode", RawClient.frame(0x8B, true, utf8("hi")), 1002),
                Arguments.of("continuation without a message", RawClient.frame(0x80, true, utf8("hi")), 1002),
                Arguments.of("new message inside a fragmented one",
                        cat(RawClient.frame(0x01, true, utf8("a")), RawClient.frame(0x82, true, utf8("b"))), 1002),
                Arguments.of("fragmented ping", RawClient.frame(0x09, true, utf8("hi")), 1002),
                Arguments.of("ping of 126 bytes", RawClient.frame(0x89, true, new byte[126]), 1002),
                Arguments.of("close with one byte", RawClient.frame(0x88, true, new byte[] {3}), 1002),
                Arguments.of("close code 1005 on the wire", RawClient.frame(0x88, true, RawClient.closePayload(1005, "")), 1002),
                Arguments.of("close code 999", RawClient.frame(0x88, true, RawClient.closePayload(999, "")), 1002),
                Arguments.of("close reason not UTF-8",
                        RawClient.frame(0x88, true, cat(RawClient.closePayload(1000, ""), new byte[] {(byte) 0xFF})), 1007),
                Arguments.of("text not UTF-8", RawClient.frame(0x81, true, new byte[] {'a', (byte) 0xC0, (byte) 0xAF}), 1007),
                Arguments.of("surrogate in a later fragment", cat(RawClient.frame(0x01, true, utf8("ok")),
                        RawClient.frame(0x80, true, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})), 1007),
                Arguments.of("text ending inside a code point", RawClient.frame(0x81, true, new byte[] {'a', (byte) 0xE2, (byte) 0x82}), 1007),
                Arguments.of("frame over the limit", RawClient.frame(0x82, true, new byte[1001]), 1009),
                Arguments.of("message over the limit",
                        cat(RawClient.frame(0x02, true, new byte[1000]), RawClient.frame(0x80, true, new byte[501])), 1009));
    }

    @ParameterizedTest(name = "{0} closes with {2}")
    @MethodSource("violations")
    void closesWithTheCodeOfTheViolation(String what, byte[] wire, int code) throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.send(wire);
            RawClient.Frame close = client.readFrame();
            assertEquals(0x8, close.opcode(), what + ": expected a close frame first");
            assertEquals(code, close.closeCode(), what);
            assertTrue(client.readsEndOfStream(), what + ": the server closes after its close frame");
        }
        assertTrue(endpoint.awaitClose().startsWith(code + ":"), what);
        WebSocketException error = assertInstanceOf(WebSocketException.class, endpoint.errors.poll());
        assertEquals(code, error.closeCode());
        assertTrue(endpoint.events.stream().noneMatch(e -> e.startsWith("text") || e.startsWith("binary")),
                () -> what + ": no message may be delivered, got " + endpoint.events);
    }
}
