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
 * Every server of the permessage-deflate cells, in this JVM, negotiates compression with the deflate
 * generator in both compressed modes and echoes with fewer bytes on the wire than the payload, so
 * that a broken deflate cell shows up in a normal build instead of in a benchmark run. Nothing about
 * speed is checked.
 */
class DeflateCellsSmokeTest {

    static Stream<Arguments> serversAndModes() {
        return Arrays.stream(DeflateRuns.SERVERS)
                .flatMap(kind -> Stream.of(Deflate.TAKEOVER, Deflate.NO_TAKEOVER).map(mode -> Arguments.of(kind, mode)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("serversAndModes")
    void compressedEcho(String kind, Deflate mode) throws Exception {
        try (EchoServer server = DeflateRuns.server(kind, mode)) {
            URI uri = URI.create(EchoServer.uri(kind, server.start()));
            DeflateGenerator.Result r = DeflateGenerator.run(uri, mode, 200, 2, 100, 300, () -> { });
            assertNull(r.error(), "the generator reported an error");
            assertEquals(2, r.negotiated(), "connections that negotiated permessage-deflate");
            assertTrue(r.messages() > 0, "no message came back in the measured window");
            assertTrue(r.wireBytes() < r.payloadBytes(), "wire bytes " + r.wireBytes() + " not below the payload " + r.payloadBytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void uncompressedWhenOff(String kind) throws Exception {
        try (EchoServer server = DeflateRuns.server(kind, Deflate.OFF)) {
            URI uri = URI.create(EchoServer.uri(kind, server.start()));
            DeflateGenerator.Result r = DeflateGenerator.run(uri, Deflate.OFF, 200, 2, 50, 150, () -> { });
            assertNull(r.error(), "the generator reported an error");
            assertEquals(0, r.negotiated(), "connections that negotiated an extension with compression off");
            assertTrue(r.wireBytes() > r.payloadBytes(), "wire bytes " + r.wireBytes() + " not above the payload " + r.payloadBytes());
        }
    }

    static Stream<String> servers() {
        return Arrays.stream(DeflateRuns.SERVERS);
    }
}
