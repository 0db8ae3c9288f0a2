package io.guestloop.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerEchoTest {

    private final RecordingEndpoint endpoint = new RecordingEndpoint(true);
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", endpoint).build());
    }

    @AfterEach
    void stop() {
        fixture.close();
        assertTrue(endpoint.errors.isEmpty(), () -> "endpoint errors: " + endpoint.errors);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + i / 251);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 4 << 20})
    void echoesBinaryOfEveryLengthForm(int length) throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            assertTrue(client.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            byte[] body = bytes(length);
            client.sendFrame(0x82, body);
            RawClient.Frame echo = client.readFrame();
            assertEquals(0x2, echo.opcode());
            assertTrue(echo.fin());
            assertArrayEquals(body, echo.payload());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 4 << 20})
    void echoesTextOfEveryLengthForm(int length) throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            char[] chars = new char[length];
            Arrays.fill(chars, 'x');
            if (length >= 2) {
                chars[length / 2] = 'é';
                chars[length / 2 + 1] = 'ä';
            }
            byte[] body = new String(chars).getBytes(StandardCharsets.UTF_8);
            client.sendFrame(0x81, body);
            RawClient.Frame echo = client.readFrame();
            assertEquals(0x1, echo.opcode());
            assertArrayEquals(body, echo.payload());
        }
    }

    @Test
    void assemblesFragmentsWithPingsBetweenThemAndAnswersEachPing() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            client.sendFrame(0x01, new byte[] {'a', euro[0]});
            client.sendFrame(0x89, "p1".getBytes(StandardCharsets.UTF_8));
            client.sendFrame(0x00, new byte[] {euro[1], euro[2]});
            client.sendFrame(0x89, new byte[0]);
            client.sendFrame(0x80, new byte[] {'z'});
            RawClient.Frame pong1 = client.readFrame();
            assertEquals(0xA, pong1.opcode());
            assertEquals("p1", pong1.text());
            RawClient.Frame pong2 = client.readFrame();
            assertEquals(0xA, pong2.opcode());
            assertEquals(0, pong2.payload().length);
            RawClient.Frame echo = client.readFrame();
            assertEquals("a€z", echo.text());
        }
    }

    @Test
    void ignoresUnsolicitedPongs() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.sendFrame(0x8A, "unasked".getBytes(StandardCharsets.UTF_8));
            client.sendFrame(0x81, "after".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame next = client.readFrame();
            assertEquals(0x1, next.opcode(), "nothing is sent in answer to a pong");
            assertEquals("after", next.text());
        }
    }

    @Test
    void echoesTheClientsCloseAndClosesTheConnection() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.sendFrame(0x88, RawClient.closePayload(1000, "bye"));
            RawClient.Frame close = client.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(1000, close.closeCode());
            assertTrue(client.readsEndOfStream());
            assertEquals("1000:bye", endpoint.awaitClose());
        }
    }

    @Test
    void answersAnEmptyCloseWithAnEmptyClose() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.sendFrame(0x88, new byte[0]);
            RawClient.Frame close = client.readFrame();
            assertEquals(0, close.payload().length);
            assertEquals("1005:", endpoint.awaitClose());
        }
    }

    @Test
    void parsesFramesThatFollowTheRequestInTheSameWrite() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            byte[] request = RawClient.upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = RawClient.frame(0x81, true, "early".getBytes(StandardCharsets.UTF_8));
            byte[] both = Arrays.copyOf(request, request.length + frame.length);
            System.arraycopy(frame, 0, both, request.length, frame.length);
            client.send(both);
            assertTrue(client.readHead().startsWith("HTTP/1.1 101 "));
            assertEquals("early", client.readFrame().text());
        }
    }

    @Test
    void reportsAbnormalClosureWhenTheClientVanishes() throws Exception {
        try (RawClient client = new RawClient(fixture.address)) {
            client.upgrade("/echo");
            client.sendFrame(0x81, "hi".getBytes(StandardCharsets.UTF_8));
            client.readFrame();
        }
        assertEquals("1006:", endpoint.awaitClose());
    }
}
