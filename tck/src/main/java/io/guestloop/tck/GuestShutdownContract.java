package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link io.guestloop.GuestContext#shutdown(Duration)}, the polite close: listeners stop at once,
 * each connection finishes in {@link ConnectionHandler#onShutdown}, queued writes leave before the
 * close, and what is still open when the grace ends is closed.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestShutdownContract extends GuestWriteContract {

    @Test
    void shutdownLetsEachConnectionSayGoodbyeAndThenCloses() throws Exception {
        CountDownLatch opened = new CountDownLatch(2);
        AtomicInteger stops = new AtomicInteger();
        int n = threadsUpTo(2);
        GuestHarness h = harness(n, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onShutdown(Connection c) {
                c.write(ByteBuffer.wrap("bye\n".getBytes(StandardCharsets.US_ASCII)));
                c.closeAfterFlush();
            }
        }).protocol(new Protocol() {
            @Override
            public void onStop(ServiceThread thread) {
                stops.incrementAndGet();
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        Socket a = client(address);
        Socket b = client(address);
        Timeouts.await(opened, "two connections to open");
        Timeouts.await(h.context().shutdown(Duration.ofSeconds(30)), "the shutdown");
        for (Socket s : new Socket[] {a, b}) {
            assertArrayEquals("bye\n".getBytes(StandardCharsets.US_ASCII), readFully(s.getInputStream(), 4), "the goodbye");
            assertEquals(-1, s.getInputStream().read(), "end of stream after the goodbye");
        }
        assertEquals(n, stops.get(), "onStop of every thread");
        assertThrows(ConnectException.class, () -> new Socket().connect(address, 5_000), "the listener is gone");
    }

    @Test
    void shutdownDeliversEveryQueuedByteBeforeItCloses() throws Exception {
        int size = 4 << 20;
        AtomicLong accepted = new AtomicLong();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(1 << 20, 8 << 20).listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                for (long offset = 0; offset < size; offset += 64 * 1024) {
                    if (!c.write(ByteBuffer.wrap(pattern(offset, 64 * 1024)))) {
                        break;
                    }
                    accepted.addAndGet(64 * 1024);
                }
                queued.complete(null);
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        Timeouts.await(queued, "the server to queue its data");
        assertTrue(accepted.get() > 0, "the server could queue nothing");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = s.getInputStream()) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        h.context().shutdown(Duration.ofSeconds(60));
        byte[] got = Timeouts.await(read, "every queued byte, then end of stream");
        assertEquals(accepted.get(), got.length, "bytes the client got of those the server accepted for sending");
        assertArrayEquals(pattern(0, got.length), got, "the bytes, in order");
        Timeouts.await(h.context().closed(), "closed()");
    }

    @Test
    void shutdownClosesWhatIsStillOpenWhenTheGraceEnds() throws Exception {
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onShutdown(Connection c) {
                // keeps the connection open: only the end of the grace closes it
            }

            @Override
            public void onClosed(Connection c, Throwable cause) {
                closed.countDown();
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        Timeouts.await(opened, "the connection to open");
        Timeouts.await(h.context().shutdown(Duration.ofMillis(200)), "the shutdown to end with its grace");
        Timeouts.await(closed, "onClosed of the connection left open");
        assertEquals(-1, s.getInputStream().read(), "the client sees the close");
    }

    @Test
    void closeDuringAShutdownClosesAtOnce() throws Exception {
        CountDownLatch shutdownSeen = new CountDownLatch(1);
        CountDownLatch opened = new CountDownLatch(1);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                opened.countDown();
            }

            @Override
            public void onShutdown(Connection c) {
                shutdownSeen.countDown(); // and stays open
            }
        }));
        Socket s = client(h.context().listeners().get(0).localAddress());
        Timeouts.await(opened, "the connection to open");
        h.context().shutdown(Duration.ofHours(1));
        Timeouts.await(shutdownSeen, "onShutdown");
        Timeouts.await(h.context().close(), "close() during the shutdown");
        assertEquals(-1, s.getInputStream().read(), "the client sees the close");
        assertFalse(h.context().closed().toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void aNegativeGraceIsRefused() {
        GuestHarness h = harness(1);
        assertThrows(IllegalArgumentException.class, () -> h.context().shutdown(Duration.ofSeconds(-1)));
    }
}
