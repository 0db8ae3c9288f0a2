package io.guestloop.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every TLS server of the comparison, in this JVM, echoes what the load generator sends over
 * {@code wss://} and completes handshake sessions, so that a broken TLS cell shows up in a normal build
 * instead of in a benchmark run. Nothing about speed is checked.
 */
class TlsCellsSmokeTest {

    static Stream<Arguments> serversAndSizes() {
        return Arrays.stream(EchoServer.TLS_KINDS).flatMap(kind -> Stream.of(64, 16 * 1024).map(size -> Arguments.of(kind, size)));
    }

    static Stream<String> servers() {
        return Arrays.stream(EchoServer.TLS_KINDS);
    }

    @ParameterizedTest(name = "{0}, {1} B")
    @MethodSource("serversAndSizes")
    void echoOverTls(String kind, int size) throws Exception {
        try (EchoServer server = EchoServer.of(kind)) {
            URI uri = URI.create(EchoServer.uri(kind, server.start()));
            assertEquals("wss", uri.getScheme());
            LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings(uri, 3, size, 2, 200, 400, LoadGenerator.Framing.LEAN));
            assertNull(r.error(), "the generator reported an error");
            assertEquals(0, r.failed(), "connections that failed to open");
            assertEquals(0, r.stalled(), "connections that got no echo in the measured window");
            assertTrue(r.messages() > 0, "no message came back in the measured window");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void handshakeSessionsComplete(String kind) throws Exception {
        try (EchoServer server = EchoServer.of(kind)) {
            URI uri = URI.create(EchoServer.uri(kind, server.start()));
            HandshakeGenerator.Result r = HandshakeGenerator.run(uri, 4, 200, 500);
            assertNull(r.error(), "the handshake generator reported an error");
            assertEquals(0, r.failed(), "sessions that failed");
            assertTrue(r.measured() > 0, "no session completed in the measured window");
        }
    }
}
