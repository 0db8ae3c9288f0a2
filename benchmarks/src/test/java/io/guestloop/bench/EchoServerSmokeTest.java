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
        return Arrays.stream(EchoServer.KINDS).flatMap(kind -> Stream.of(Arguments.of(kind, 64), Arguments.of(kind, 16 * 1024)));
    }

    @ParameterizedTest(name = "{0}, {1} B")
    @MethodSource("serversAndSizes")
    void generatorGetsEveryMessageEchoedBack(String kind, int size) throws Exception {
        try (EchoServer server = EchoServer.of(kind)) {
            int port = server.start();
            URI uri = URI.create(server.websocket() ? "ws://127.0.0.1:" + port + "/echo" : "raw://127.0.0.1:" + port);
            LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings(uri, 3, size, 2, 200, 400));
            assertNull(r.error(), "the generator reported an error");
            assertEquals(0, r.failed(), "connections that failed to open");
            assertEquals(0, r.stalled(), "connections that got no echo in the measured window");
            assertTrue(r.messages() > 0, "no message came back in the measured window");
        }
    }
}
