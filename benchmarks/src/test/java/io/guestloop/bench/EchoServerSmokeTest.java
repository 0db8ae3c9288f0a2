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
 * Every server of the comparison, in this JVM, echoes what the load generator sends for under a
 * second, with small and 16 KiB messages, so a broken server or generator shows up in a normal
 * build instead of 15 minutes into a benchmark run. Nothing about speed is checked.
 */
class EchoServerSmokeTest {

    static Stream<Arguments> serversAndSizes() {
        // Both sizes with the lean framing the runs use; the codec framing (a generator matter, not a
        // server one) at 64 B only. The text-as-bytes kinds run in text cells only, as in the comparison.
        return Arrays.stream(EchoServer.KINDS).filter(kind -> EchoServer.runsIn(kind, Payload.BINARY)).flatMap(kind -> Stream.of(64, 16 * 1024).flatMap(size ->
                (kind.equals("raw-nio") || size != 64 ? Stream.of(LoadGenerator.Framing.LEAN)
                        : Arrays.stream(LoadGenerator.Framing.values())).map(framing -> Arguments.of(kind, size, framing))));
    }

    @ParameterizedTest(name = "{0}, {1} B, {2} framing")
    @MethodSource("serversAndSizes")
    void generatorGetsEveryMessageEchoedBack(String kind, int size, LoadGenerator.Framing framing) throws Exception {
        try (EchoServer server = EchoServer.of(kind)) {
            int port = server.start();
            URI uri = URI.create(server.websocket() ? "ws://127.0.0.1:" + port + "/echo" : "raw://127.0.0.1:" + port);
            LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings(uri, 3, size, 2, 200, 400, framing));
            check(r);
            // The server's own count, by which the runner divides its loop's CPU and allocation: at least
            // every echo the generator got, at most every message it sent (2 in flight on each of 3 connections).
            long echoed = server.echoed();
            long messages = server.websocket() ? echoed : echoed / size;
            assertTrue(echoed >= 0 && messages >= r.total() && messages <= r.total() + 3 * 2,
                    () -> kind + " counted " + echoed + (server.websocket() ? " messages" : " bytes") + " echoed; the generator got "
                            + r.total() + " echoes back");
        }
    }

    static Stream<Arguments> serversAndFramings() {
        // Every server with the lean framing; the codec framing's text frames (a generator matter) on one server.
        return Stream.concat(Arrays.stream(EchoServer.KINDS).map(kind -> Arguments.of(kind, LoadGenerator.Framing.LEAN)),
                Stream.of(Arguments.of("guest-nio", LoadGenerator.Framing.CODEC)));
    }

    /**
     * Text of 16 KiB with multi-byte characters: each server echoes it as text (validated where the
     * server validates); an echo of another opcode or length fails the generator.
     */
    @ParameterizedTest(name = "{0}, 16 KiB mixed text, {1} framing")
    @MethodSource("serversAndFramings")
    void textComesBackAsText(String kind, LoadGenerator.Framing framing) throws Exception {
        try (EchoServer server = EchoServer.of(kind)) {
            int port = server.start();
            URI uri = URI.create(server.websocket() ? "ws://127.0.0.1:" + port + "/echo" : "raw://127.0.0.1:" + port);
            check(LoadGenerator.run(new LoadGenerator.Settings(uri, 2, 16 * 1024, 2, 100, 300, framing, Payload.MIXED_TEXT)));
        }
    }

    private static void check(LoadGenerator.Result r) {
        assertNull(r.error(), "the generator reported an error");
        assertEquals(0, r.failed(), "connections that failed to open");
        assertEquals(0, r.stalled(), "connections that got no echo in the measured window");
        assertTrue(r.messages() > 0, "no message came back in the measured window");
    }
}
