package io.guestloop.demo;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The echo box loses nothing to a client that sends far more than it reads: the server pauses the
 * socket while its write queue is full, so TCP holds the client back, and every message comes back.
 */
class EchoBackpressureTest {

    private static final int MESSAGES = 200;
    private static final int SIZE = 60 * 1024;

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyMessageComesBackToAClientThatSendsThemAllBeforeReading() throws Exception {
        DemoServer demo = fixture.start();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(demo.address(), (int) Timeouts.AWAIT.toMillis());
            socket.setSoTimeout((int) Timeouts.AWAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(("GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            // 12 MB sent before a byte is read: the writes block once TCP holds the client back,
            // and go on as the reads below drain the echoes.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    byte[] frame = binaryFrame(SIZE);
                    for (int i = 0; i < MESSAGES; i++) {
                        frame[8] = (byte) i; // first payload byte (mask key 0): the message's number
                        out.write(frame);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            });
            for (int i = 0; i < MESSAGES; i++) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                assertEquals(0x82, b0, "echo " + i + " is a whole binary frame");
                assertEquals(126, b1);
                assertEquals(SIZE, in.readUnsignedShort());
                byte[] payload = new byte[SIZE];
                in.readFully(payload);
                assertEquals((byte) i, payload[0], "echoes in order, none missing");
            }
            Timeouts.await(sent, "every message sent");
        }
    }

    /** A masked binary frame of 126 to 65,535 bytes (16-bit length), mask key 0 so the payload reads as sent. */
    private static byte[] binaryFrame(int size) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82);
        b.write(0x80 | 126);
        b.write(size >>> 8);
        b.write(size);
        b.writeBytes(new byte[4]);
        b.writeBytes(new byte[size]);
        return b.toByteArray();
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the HTTP head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
