package io.guestloop.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison's guest servers whose endpoint echoes text as bytes ({@code guest-nio-utf8},
 * {@code guest-netty-utf8}), in this JVM, spoken to with hand-made frames: every text message comes back
 * as one text frame with exactly the bytes sent, and the loop thread allocates nothing per message
 * (counted with {@code ThreadMXBean.getThreadAllocatedBytes} over thousands of messages after a warm-up,
 * a count of bytes, not a timing), the budget the report holds those kinds to.
 */
class TextAsBytesEchoTest {

    /** Bytes per message allowed for what is not the echo's (the JDK selector boxes file descriptors above 127). */
    private static final long NOISE = 8;

    @ParameterizedTest(name = "{0}, {1} B {2}")
    @CsvSource({"guest-nio-utf8, 64, TEXT", "guest-nio-utf8, 16384, TEXT", "guest-nio-utf8, 16384, MIXED_TEXT",
            "guest-netty-utf8, 16384, MIXED_TEXT"})
    void textComesBackAsTheSameBytes(String kind, int size, Payload payload) throws Exception {
        byte[] message = payload.message(size);
        try (EchoServer server = EchoServer.of(kind); Client client = new Client(server.start())) {
            for (int perBatch : new int[] {1, 5}) {
                client.sendText(message, perBatch);
                for (int i = 0; i < perBatch; i++) {
                    assertArrayEquals(message, client.readTextEcho(), "echo " + (i + 1) + " of a batch of " + perBatch);
                }
            }
        }
    }

    @Test
    void everyWidthOfCharacterAndTheEmptyMessageComeBackAsSent() throws Exception {
        byte[] wide = "a é € 😀 中文 ".repeat(700).getBytes(StandardCharsets.UTF_8); // 1- to 4-byte characters, 126+ B framing
        try (EchoServer server = EchoServer.of("guest-nio-utf8"); Client client = new Client(server.start())) {
            for (byte[] message : new byte[][] {wide, new byte[0]}) {
                client.sendText(message, 1);
                assertArrayEquals(message, client.readTextEcho());
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} B {2}")
    @CsvSource({"guest-nio-utf8, 64, TEXT, 16", "guest-nio-utf8, 16384, TEXT, 4", "guest-nio-utf8, 16384, MIXED_TEXT, 4",
            "guest-netty-utf8, 64, TEXT, 16", "guest-netty-utf8, 16384, TEXT, 4"})
    void echoAllocatesNothingPerMessage(String kind, int size, Payload payload, int perBatch) throws Exception {
        long perMessage = allocatedPerMessage(kind, payload.message(size), perBatch);
        assertTrue(perMessage <= NOISE, () -> kind + "'s loop thread allocated " + perMessage + " B per " + size
                + " B text echo; the budget is " + NOISE + " B");
    }

    /** The meter's control: the String-path twin must allocate at least the String it hands its endpoint. */
    @Test
    void meterSeesWhatTheStringPathAllocates() throws Exception {
        int size = 16 * 1024;
        long perMessage = allocatedPerMessage("guest-nio", Payload.TEXT.message(size), 4);
        assertTrue(perMessage >= size, () -> "guest-nio's loop thread allocated " + perMessage + " B per " + size
                + " B text echo, less than the String its endpoint receives: the count does not see the loop thread");
    }

    /** Bytes the loop thread of a fresh {@code kind} server allocates per echoed {@code message}, after a warm-up. */
    private static long allocatedPerMessage(String kind, byte[] message, int perBatch) throws Exception {
        int warmupMessages = message.length < 1024 ? 40_000 : 8_000;
        int measuredMessages = message.length < 1024 ? 20_000 : 4_000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EchoServer server = EchoServer.of(kind); Client client = new Client(server.start())) {
            long loop = server.loopThread().getId();
            echo(client, message, perBatch, warmupMessages);
            long before = threads.getThreadAllocatedBytes(loop);
            echo(client, message, perBatch, measuredMessages);
            return (threads.getThreadAllocatedBytes(loop) - before) / measuredMessages;
        }
    }

    /** Echoes {@code messages} (rounded up to whole batches), checking the last echo of each batch whole. */
    private static void echo(Client client, byte[] message, int perBatch, int messages) throws IOException {
        for (int sent = 0; sent < messages; sent += perBatch) {
            client.sendText(message, perBatch);
            for (int i = 0; i < perBatch - 1; i++) {
                client.readTextEcho();
            }
            assertArrayEquals(message, client.readTextEcho());
        }
    }

    /**
     * A blocking WebSocket client of one connection that sends masked text frames and reads unmasked ones.
     *
     * <p><b>Threading:</b> the test's thread only.
     */
    private static final class Client implements AutoCloseable {
        private static final byte[] KEY = {0x37, (byte) 0xfa, 0x21, 0x3d};

        private final Socket socket = new Socket();
        private final OutputStream out;
        private final DataInputStream in;

        Client(int port) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000); // a lost echo fails the test instead of hanging the build
            out = socket.getOutputStream();
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            String key = Base64.getEncoder().encodeToString("guestloop-bench!".getBytes(StandardCharsets.US_ASCII));
            out.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertTrue(head.toString().startsWith("HTTP/1.1 101 "), () -> "the upgrade was answered with " + head);
        }

        /** Writes {@code copies} masked final text frames of {@code payload} in one write. */
        void sendText(byte[] payload, int copies) throws IOException {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int c = 0; c < copies; c++) {
                frames.write(0x81);
                if (payload.length < 126) {
                    frames.write(0x80 | payload.length);
                } else {
                    frames.write(0x80 | 126);
                    frames.write(payload.length >>> 8);
                    frames.write(payload.length);
                }
                frames.write(KEY, 0, 4);
                for (int i = 0; i < payload.length; i++) {
                    frames.write(payload[i] ^ KEY[i & 3]);
                }
            }
            out.write(frames.toByteArray());
        }

        /** Reads one frame, which must be an unmasked final text frame under 64 KiB, and returns its payload. */
        byte[] readTextEcho() throws IOException {
            assertEquals(0x81, in.readUnsignedByte(), "an echo must be one final text frame");
            int length = in.readUnsignedByte();
            assertTrue(length < 0x80, "a server frame must not be masked");
            assertTrue(length != 127, "no echo here is 64 KiB or more");
            if (length == 126) {
                length = in.readUnsignedShort();
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return payload;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
