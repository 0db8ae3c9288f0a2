package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for writing: order, the bounded queue, gathering writes, and writes around
 * close.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestWriteContract extends GuestTlsFailureContract {

    @Test
    void writeRefusesAtTheHighWaterMarkAndReportsWritabilityBothWays() throws Exception {
        int high = 64 * 1024;
        int chunk = 16 * 1024;
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        CountDownLatch writableAgain = new CountDownLatch(1);
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(16 * 1024, high));
        try (ServerSocket peer = closeLater(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))) {
            Peered p = connect(h, peer, writable -> {
                changes.add(writable);
                if (writable) {
                    writableAgain.countDown();
                }
            });
            Socket accepted = p.peer();
            Connection c = p.guest();
            long[] result = h.call(0, () -> {
                long total = 0;
                long maxQueued = 0;
                while (total < (256L << 20)) {
                    if (!c.write(ByteBuffer.wrap(pattern(total, chunk)))) {
                        return new long[] {total, maxQueued, c.isWritable() ? 1 : 0};
                    }
                    total += chunk;
                    maxQueued = Math.max(maxQueued, c.queuedBytes());
                }
                throw new AssertionError("256 MiB accepted by a peer that never reads: the write queue is unbounded");
            });
            long total = result[0];
            assertTrue(result[1] <= high + chunk, "queue stayed within high-water mark + one buffer, max was " + result[1]);
            assertEquals(0, result[2], "isWritable() is false once a write was refused");
            assertEquals(List.of(false), changes);
            InputStream in = accepted.getInputStream();
            byte[] got = readFully(in, (int) total);
            assertArrayEquals(pattern(0, (int) total), got, "every accepted byte arrives, in order");
            Timeouts.await(writableAgain, "writability to come back once the peer read");
            assertEquals(List.of(false, true), changes);
        }
    }

    @Test
    void manyWritesInOneOnDataArriveWholeAndInOrder() throws Exception {
        // Small writes, one larger than any coalescing buffer, then small again: all from one onData.
        byte[] big = pattern(7, 200_000);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
                c.write(ByteBuffer.wrap("one,".getBytes(StandardCharsets.US_ASCII)));
                c.write(ByteBuffer.wrap("two,".getBytes(StandardCharsets.US_ASCII)));
                c.write(ByteBuffer.wrap(big));
                c.write(ByteBuffer.wrap(",three".getBytes(StandardCharsets.US_ASCII)));
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        s.getOutputStream().write('?');
        InputStream in = s.getInputStream();
        assertEquals("one,two,", new String(readFully(in, 8), StandardCharsets.US_ASCII));
        assertArrayEquals(big, readFully(in, big.length));
        assertEquals(",three", new String(readFully(in, 6), StandardCharsets.US_ASCII));
    }

    /**
     * A handler that writes its read buffer itself back (the core may send those bytes from where
     * they lie): each read comes back behind a 4-byte length, its first half as read and its second
     * half changed in place after the first was written (bytes not written yet may change), and a
     * view of the buffer written and then overwritten still sends what it held when written. Several
     * MiB at once make batches of full reads, so a core that let the next read reuse the buffer
     * before the echo left would corrupt the stream.
     */
    @Test
    void writingTheReadBufferItselfBackSendsWhatItHeldWhenWritten() throws Exception {
        int total = 6 << 20;
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(1, 64 << 20).listen(LOOPBACK, new ConnectionHandler() {
            private final ByteBuffer length = ByteBuffer.allocateDirect(4);

            @Override
            public void onData(Connection c, ByteBuffer data) {
                int start = data.position();
                int end = data.limit();
                int mid = start + (end - start) / 2;
                length.clear().putInt(end - start).flip();
                data.limit(mid);
                c.write(length, data); // header and the buffer itself: one unit
                data.limit(end);
                for (int i = mid; i < end; i++) {
                    data.put(i, (byte) (data.get(i) ^ 0x5A));
                }
                ByteBuffer view = data.duplicate();
                c.write(view);
                for (int i = mid; i < end; i++) {
                    data.put(i, (byte) 0); // the view was written: what it held is what leaves
                }
                data.position(end);
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        byte[] sent = pattern(3, total);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(sent);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        InputStream in = s.getInputStream();
        int at = 0;
        while (at < total) {
            int n = ByteBuffer.wrap(readFully(in, 4)).getInt();
            assertTrue(n > 0 && n <= total - at, "a length within what was sent: " + n + " at " + at);
            byte[] echo = readFully(in, n);
            int half = n / 2;
            for (int i = 0; i < n; i++) {
                byte expected = i < half ? sent[at + i] : (byte) (sent[at + i] ^ 0x5A);
                if (echo[i] != expected) {
                    throw new AssertionError("byte " + (at + i) + " of the echo (" + i + " of a read of " + n
                            + ") is " + echo[i] + ", expected " + expected);
                }
            }
            at += n;
        }
        writing.get(Timeouts.AWAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Test
    void writeThenCloseInOneOnDataStillGivesTheBytesToThePeer() throws Exception {
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
                c.write(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
                c.close();
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        s.getOutputStream().write('?');
        assertEquals("bye", new String(readFully(s.getInputStream(), 3), StandardCharsets.US_ASCII));
        assertEquals(-1, s.getInputStream().read());
    }

    @Test
    void closeAfterFlushDeliversEverythingQueuedThenCloses() throws Exception {
        byte[] payload = pattern(0, 4 << 20);
        CountDownLatch closed = new CountDownLatch(1);
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(1, 8 << 20).listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                c.write(ByteBuffer.wrap(payload));
                c.closeAfterFlush();
                if (c.isOpen()) {
                    throw new AssertionError("isOpen() must be false once closeAfterFlush() was called");
                }
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.countDown();
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        assertArrayEquals(payload, readFully(s.getInputStream(), payload.length));
        assertEquals(-1, s.getInputStream().read());
        Timeouts.await(closed, "onClosed after the flush");
    }

    @Test
    void writeAfterCloseIsRefusedAndLosesNothingSilently() throws Exception {
        CompletableFuture<Connection> open = new CompletableFuture<>();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                open.complete(c);
            }
        }));
        client(h.context().listeners().get(0).localAddress());
        Connection c = Timeouts.await(open, "the connection to open");
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3});
        assertFalse(h.call(0, () -> {
            c.close();
            return c.write(data);
        }));
        assertEquals(3, data.remaining(), "a refused buffer is left untouched");
    }

    @Test
    void gatheredWritesArriveWholeAndInOrderInsideAndOutsideOnData() throws Exception {
        // From onOpen (no cork), then in onData: a single write, a gathered write that fits the cork,
        // and one that does not (so the cork and the new buffers leave together), then a small one.
        byte[] big = pattern(3, 150_000);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                assertTrue(c.write(ascii("<h1>"), ascii("hello"), ascii("</h1>")));
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
                c.write(ascii("a,"));
                c.write(ascii("b"), ascii(","));
                c.write(ascii("[big:"), ByteBuffer.wrap(big), ascii("]"));
                c.write(ascii(",z"));
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        InputStream in = s.getInputStream();
        assertEquals("<h1>hello</h1>", new String(readFully(in, 14), StandardCharsets.US_ASCII));
        s.getOutputStream().write('?');
        assertEquals("a,b,[big:", new String(readFully(in, 9), StandardCharsets.US_ASCII));
        assertArrayEquals(big, readFully(in, big.length));
        assertEquals("],z", new String(readFully(in, 3), StandardCharsets.US_ASCII));
    }

    @Test
    void gatheredWriteIsTakenWholeOrRefusedWholeAtTheHighWaterMark() throws Exception {
        int high = 64 * 1024;
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(16 * 1024, high));
        try (ServerSocket peer = closeLater(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))) {
            Peered p = connect(h, peer, writable -> { });
            Socket accepted = p.peer();
            Connection c = p.guest();
            // Units of a 2-byte header naming the unit's length and a 10,000-byte body, until refused.
            int body = 10_000;
            long[] result = h.call(0, () -> {
                long units = 0;
                while (units < 50_000) {
                    ByteBuffer header = ByteBuffer.allocate(2).putShort(0, (short) body);
                    ByteBuffer payload = ByteBuffer.wrap(pattern(units * body, body));
                    if (!c.write(header, payload)) {
                        boolean untouched = header.position() == 0 && header.remaining() == 2
                                && payload.position() == 0 && payload.remaining() == body;
                        return new long[] {units, untouched ? 1 : 0, c.queuedBytes()};
                    }
                    units++;
                }
                throw new AssertionError("500 MB accepted by a peer that never reads: the write queue is unbounded");
            });
            assertEquals(1, result[1], "a refused gathered write leaves every buffer untouched");
            assertTrue(result[2] <= high + body + 2, "queue within the high-water mark + one unit, was " + result[2]);
            InputStream in = accepted.getInputStream();
            for (long u = 0; u < result[0]; u++) {
                byte[] header = readFully(in, 2);
                assertEquals(body, ((header[0] & 0xff) << 8) | (header[1] & 0xff), "header of unit " + u);
                assertArrayEquals(pattern(u * body, body), readFully(in, body), "body of unit " + u);
            }
            h.call(0, () -> assertThrows(NullPointerException.class, () -> c.write(ascii("x"), null),
                    "a null buffer in a gathered write"));
            accepted.setSoTimeout(200);
            assertThrows(java.net.SocketTimeoutException.class, in::read, "nothing more than the accepted units arrived");
        }
    }

    /** A guest connection from thread 0 of {@code h} and the peer's end of it. */
    private record Peered(Connection guest, Socket peer) {
    }

    /** Connects thread 0 of {@code h} to {@code peer}, whose handler passes writability changes on. */
    private Peered connect(GuestHarness h, ServerSocket peer, java.util.function.Consumer<Boolean> writability) throws Exception {
        CompletableFuture<Connection> open = new CompletableFuture<>();
        h.run(0, () -> h.thread(0).connect(peer.getLocalSocketAddress(), Duration.ofSeconds(20), new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                open.complete(c);
            }

            @Override
            public void onWritabilityChanged(Connection c, boolean writable) {
                writability.accept(writable);
            }
        }));
        Socket accepted = closeLater(peer.accept());
        return new Peered(Timeouts.await(open, "the guest to connect"), accepted);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
