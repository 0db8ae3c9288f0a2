package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.tck.TestCertificates.Identity;
import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsInfo;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for TLS data and close: the core's {@code SSLEngine} layer over the backend's
 * sockets carries bytes whole and in order, under backpressure, and ends with close_notify both ways,
 * against the JDK's own TLS. It also holds the helpers of every TLS contract: the test identities, a
 * JDK client, a recording handler. The handshake and the identities it settles (key updates,
 * renegotiation, client auth, SNI, ALPN, delegated tasks) are {@link GuestTlsHandshakeContract}'s;
 * the bad peers are {@link GuestTlsFailureContract}'s. Certificates come from {@link TestCertificates}.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestTlsContract extends GuestTestBase {

    /** How long a guest connect may take in these tests. */
    protected static final Duration CONNECT = Duration.ofSeconds(10);

    /** The test certificates of this JVM. */
    protected static TestCertificates certs() {
        return TestCertificates.get();
    }

    /** A server with the {@link Identity#SERVER} certificate. */
    protected static ServerTls serverTls() {
        return ServerTls.of(certs().serverContext(Identity.SERVER));
    }

    /** A client trusting the test CA. */
    protected static ClientTls clientTls() {
        return ClientTls.of(certs().clientContext());
    }

    /** A JDK {@link SSLSocket} connected to {@code address} and through its handshake, closed after the test. */
    protected SSLSocket jdkClient(SocketAddress address, SSLContext context, String... protocols) throws IOException {
        Socket plain = client(address);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost",
                ((InetSocketAddress) address).getPort(), true);
        closeLater(s);
        s.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        return s;
    }

    /** What a TLS connection's handler saw: its TLS info at open, its close cause, and what it read. */
    protected static class Recorder implements ConnectionHandler {
        final CompletableFuture<TlsInfo> opened = new CompletableFuture<>();
        final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final boolean echo;

        Recorder(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void onOpen(Connection c) {
            opened.complete(c.tls().orElseThrow(() -> new AssertionError("onOpen without TLS info on " + c)));
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            if (echo) {
                c.write(data);
            } else {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                received.writeBytes(b);
            }
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            opened.completeExceptionally(new AssertionError("closed before open", cause));
            closed.complete(Optional.ofNullable(cause));
        }

        /** The close cause, failing when the connection closed without one. */
        Throwable failure() {
            return Timeouts.await(closed, "the connection to close").orElseThrow(() -> new AssertionError("closed without a cause"));
        }
    }

    @Test
    void echoesOverTlsAgainstTheJdkClient() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(threadsUpTo(2), b -> b.listen(LOOPBACK, serverTls(), server));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContext());
        assertEchoesWhole(s, pattern(0, 1 << 20));
        TlsInfo info = Timeouts.await(server.opened, "the server's onOpen");
        assertEquals(s.getSession().getProtocol(), info.protocol());
        assertEquals(s.getSession().getCipherSuite(), info.cipherSuite());
        assertEquals(List.of(), info.peerCertificates(), "no client certificate was asked for");
        assertEquals(certs().certificate(Identity.SERVER), info.localCertificates().get(0));
    }

    /**
     * Several MiB written by the guest while the peer does not read: the plaintext queue fills to the
     * high-water mark and refuses, the writer waits for writability, and every byte arrives in order.
     */
    @Test
    void bigWritesUnderBackpressureArriveWholeAndInOrder() throws Exception {
        int total = 8 << 20;
        int chunk = 16 * 1024;
        int high = 64 * 1024;
        CountDownLatch refused = new CountDownLatch(1);
        AtomicLong mostQueued = new AtomicLong();
        ConnectionHandler producer = new ConnectionHandler() {
            long written;

            @Override
            public void onOpen(Connection c) {
                produce(c);
            }

            @Override
            public void onWritabilityChanged(Connection c, boolean writable) {
                if (writable) {
                    produce(c);
                }
            }

            private void produce(Connection c) {
                while (written < total) {
                    int n = (int) Math.min(chunk, total - written);
                    if (!c.write(ByteBuffer.wrap(pattern(written, n)))) {
                        refused.countDown();
                        return;
                    }
                    written += n;
                    mostQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                }
                c.closeAfterFlush();
            }
        };
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(16 * 1024, high).listen(LOOPBACK, serverTls(), producer));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContext());
        Timeouts.await(refused, "the guest's write to be refused at the high-water mark");
        InputStream in = s.getInputStream();
        byte[] got = in.readAllBytes();
        assertEquals(total, got.length, "bytes received before close_notify");
        assertArrayEquals(pattern(0, total), got);
        assertTrue(mostQueued.get() < high + chunk, "queued plaintext stayed under high-water mark + one write: " + mostQueued.get());
    }

    @Test
    void closeAfterFlushSendsCloseNotifyAfterTheQueuedData() throws Exception {
        byte[] reply = pattern(3, 300_000);
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(512 * 1024, 1024 * 1024).listen(LOOPBACK, serverTls(), new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
                c.write(ByteBuffer.wrap(reply));
                c.closeAfterFlush();
            }
        }));
        try (TlsPeer peer = new TlsPeer(client(h.context().listeners().get(0).localAddress()), certs().clientContext())) {
            peer.handshake();
            peer.write(new byte[] {1});
            assertArrayEquals(reply, peer.readToEnd());
            assertTrue(peer.closeNotifyReceived(), "the stream ended with close_notify, not a bare TCP close");
        }
    }

    @Test
    void closeSendsCloseNotify() throws Exception {
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls(), new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                c.close();
            }
        }));
        try (TlsPeer peer = new TlsPeer(client(h.context().listeners().get(0).localAddress()), certs().clientContext())) {
            peer.handshake();
            peer.write(new byte[] {1});
            assertEquals(0, peer.readToEnd().length);
            assertTrue(peer.closeNotifyReceived(), "close() sent close_notify");
        }
    }

    /** The peer half-closes with close_notify: the guest reads the end, sends what it queued, then answers. */
    @Test
    void closeNotifyFromThePeerIsAnsweredAfterTheQueuedData() throws Exception {
        byte[] reply = pattern(5, 400_000);
        Recorder closedSide = new Recorder(false) {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                data.position(data.limit());
                c.write(ByteBuffer.wrap(reply));
            }
        };
        GuestHarness h = harness(1, b -> b.writeQueueWaterMarks(512 * 1024, 1024 * 1024).listen(LOOPBACK, serverTls(), closedSide));
        try (TlsPeer peer = new TlsPeer(client(h.context().listeners().get(0).localAddress()), certs().clientContext())) {
            peer.handshake();
            peer.write(new byte[] {1});
            byte[] first = peer.readFully(1000); // the guest has answered, so the close_notify comes after its write
            peer.sendCloseNotify();
            byte[] rest = peer.readToEnd();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(first);
            all.writeBytes(rest);
            assertArrayEquals(reply, all.toByteArray());
            assertTrue(peer.closeNotifyReceived(), "the guest answered close_notify with its own");
        }
        assertEquals(Optional.empty(), Timeouts.await(closedSide.closed, "the guest side to close"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** {@code s} still gets an echo: its connection and the loop live on. */
    protected static void assertStillEchoes(SSLSocket s) throws IOException {
        byte[] ping = "still here".getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(ping);
        assertArrayEquals(ping, readFully(s.getInputStream(), ping.length));
    }}
