package io.guestloop.demo;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client that floods the chat with the shortest chat line there is (the 7-byte masked frame
 * {@code 81 81 00 00 00 00 61}, the text "a") and never reads a byte: the server's heap, measured
 * after a full GC again and again while the flood goes on, stays under the bound the README states
 * for the demo's configuration ({@link ChatLimits#heapBound}), with a generous margin for the JVM's
 * own noise. Not a matter of timing: with the chat's flow control the heap cannot pass the bound at
 * any moment; without it (every line posted to an unbounded mailbox, the sender never paused) a
 * flood of twice this size grew it by about 90 MiB.
 */
class ChatFloodMemoryTest {

    /**
     * What the client writes in all: 4 MiB, about 600,000 chat lines. Without flow control twice this
     * grew the heap by about 90 MiB, so this flood would pass the bound and the margin four times over;
     * a longer one only makes the test slower (it takes a full GC per sample while the flood lasts).
     */
    private static final long FLOOD_BYTES = 4L << 20;
    /** Allowance for what the JVM and the test itself come to hold besides the chat (classes loaded, JIT). */
    private static final long MARGIN = 8L << 20;

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aClientThatFloodsTheChatWithoutReadingCannotGrowTheHeapPastTheBound() throws Exception {
        DemoServer demo = fixture.start("--threads", "1");
        long bound = ChatLimits.heapBound(1, 1);
        long baseline = usedHeapAfterGc();
        long peak = 0;
        int samples = 0;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // set before connecting: the window stays small
            socket.connect(demo.address(), (int) Timeouts.AWAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(socket.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            // From here on the client never reads: everything the server sends it piles up on the server.
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> flood(out), runnable -> {
                Thread t = new Thread(runnable, "chat-flooder");
                t.setDaemon(true);
                t.start();
            });
            while (!flood.isDone()) {
                peak = Math.max(peak, usedHeapAfterGc() - baseline);
                samples++;
            }
            flood.join();
            peak = Math.max(peak, usedHeapAfterGc() - baseline);
            samples++;
        }
        System.out.printf("chat flood of %d MiB without reading: heap grew by %d KiB at most over %d samples (bound %d KiB + margin %d KiB)%n",
                FLOOD_BYTES >> 20, peak >> 10, samples, bound >> 10, MARGIN >> 10);
        assertTrue(peak < bound + MARGIN, "the heap grew by " + (peak >> 10) + " KiB under the flood; the bound is "
                + (bound >> 10) + " KiB plus a margin of " + (MARGIN >> 20) + " MiB");
    }

    /** Writes {@link #FLOOD_BYTES} of back-to-back 7-byte chat frames, 64 KiB per write. */
    private static void flood(OutputStream out) {
        byte[] frame = {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, 'a'};
        byte[] chunk = new byte[(64 * 1024 / frame.length) * frame.length];
        for (int i = 0; i < chunk.length; i += frame.length) {
            System.arraycopy(frame, 0, chunk, i, frame.length);
        }
        try {
            for (long sent = 0; sent < FLOOD_BYTES; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /**
     * The heap in use right after a full GC, as the collector left it: the pools' collection usage,
     * which, unlike the heap's current usage, does not count what running threads allocated since
     * (a fresh TLAB of the busy loop thread is megabytes of noise).
     */
    private static long usedHeapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static String readHead(InputStream in) throws IOException {
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
