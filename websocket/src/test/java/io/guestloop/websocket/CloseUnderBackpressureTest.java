package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The close frame is never lost to backpressure (RFC 6455 section 5.5.1): a peer that filled the
 * server's write queue and then closes, or breaks the protocol, still gets the server's close frame
 * after the echoes the queue held, and only then the end of the stream.
 */
class CloseUnderBackpressureTest {

    private static final int FRAMES = 200;
    private static final int FRAME_SIZE = 60 * 1024;

    /** Completes when the server first refuses an echo: its write queue is full. */
    private final CompletableFuture<Void> refused = new CompletableFuture<>();
    /** Echoes what it can; a refused echo is dropped, as a server with a slow reader must. */
    private final RecordingEndpoint endpoint = new RecordingEndpoint(false) {
        @Override
        public void onBinary(WebSocket socket, java.nio.ByteBuffer data) {
            if (!socket.sendBinary(data)) {
                refused.complete(null);
            }
        }
    };
    private ServerFixture fixture;

    private void serve(WebSocketConfig config) {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", endpoint).config(config).build());
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** 200 masked 60 KiB binary frames, then {@code ending}, sent beside the test thread. */
    private static CompletableFuture<Void> flood(RawClient client, byte[] ending) {
        return CompletableFuture.runAsync(() -> {
            try {
                byte[] frame = RawClient.frame(0x82, true, new byte[FRAME_SIZE]);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int i = 0; i < FRAMES; i++) {
                    all.writeBytes(frame);
                }
                all.writeBytes(ending);
                client.send(all.toByteArray());
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    static Stream<Arguments> endings() {
        return Stream.of(
                Arguments.of("close 1000", RawClient.frame(0x88, true, RawClient.closePayload(1000, "")), 1000),
                Arguments.of("close 4000", RawClient.frame(0x88, true, RawClient.closePayload(4000, "bye")), 4000),
                Arguments.of("a frame with RSV1 set", RawClient.frame(0xC2, true, new byte[] {1, 2, 3}), 1002),
                Arguments.of("text that is not UTF-8", RawClient.frame(0x81, true, new byte[] {'a', (byte) 0xC0, (byte) 0xAF}), 1007));
    }

    @ParameterizedTest(name = "after {0} the peer gets close {2}")
    @MethodSource("endings")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFullWriteQueueStillSendsTheCloseFrame(String what, byte[] ending, int code) throws Exception {
        serve(WebSocketConfig.defaults());
        try (RawClient client = new RawClient(fixture.address, 4096)) {
            client.upgrade("/echo");
            // The writes run beside the test thread: the server reads them all, but the test stays
            // bounded in time should it not.
            CompletableFuture<Void> sent = flood(client, ending);
            // Not one byte is read until the server's queue is full, so that some echoes are held
            // and some refused whatever the scheduling; a reader that kept up would see all 200.
            Timeouts.await(refused, "the server refuses an echo to a peer that does not read");
            int echoes = 0;
            RawClient.Frame f;
            while (true) {
                try {
                    f = client.readFrame();
                } catch (EOFException e) {
                    fail(what + ": the stream ended after " + echoes + " echoes without a close frame");
                    return;
                }
                if (f.opcode() != 0x2) {
                    break;
                }
                assertEquals(FRAME_SIZE, f.payload().length);
                echoes++;
            }
            Timeouts.await(sent, "every frame sent");
            assertEquals(0x8, f.opcode(), what + ": expected the close frame after the echoes");
            assertEquals(code, f.closeCode(), what);
            assertTrue(echoes > 0 && echoes < FRAMES, what + ": the queue held some echoes and refused others: " + echoes);
            assertTrue(client.readsEndOfStream(), what + ": the server closes after its close frame");
        }
        assertTrue(endpoint.awaitClose().startsWith(code + ":"), what);
    }

    @ParameterizedTest(name = "after {0} a peer that never reads is dropped")
    @MethodSource("endings")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPeerThatNeverReadsIsDroppedAfterTheCloseTimeout(String what, byte[] ending, int code) throws Exception {
        serve(WebSocketConfig.builder().closeTimeout(Duration.ofMillis(300)).build());
        try (RawClient client = new RawClient(fixture.address, 4096)) {
            client.upgrade("/echo");
            Timeouts.await(flood(client, ending), "every frame sent");
            // Not one byte read: neither the close frame nor the flush after it may wait forever.
            String closed = endpoint.awaitClose();
            assertTrue(closed.startsWith(code + ":"), what + ": " + closed);
        }
    }
}
