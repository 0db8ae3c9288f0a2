package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.tck.TestCertificates.Identity;
import io.guestloop.tls.ClientAuth;
import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsInfo;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for TLS: the core's {@code SSLEngine} layer over the backend's sockets.
 * Echo, backpressure and close_notify both ways against the JDK's own TLS, key updates and
 * renegotiation, client auth, SNI, ALPN and delegated tasks off the loop; the bad peers are
 * {@link GuestTlsFailureContract}'s. Certificates come from {@link TestCertificates}.
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
        byte[] sent = pattern(0, 1 << 20);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(sent);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals(sent, readFully(s.getInputStream(), sent.length));
        Timeouts.await(writer, "the client to write");
        TlsInfo info = Timeouts.await(server.opened, "the server's onOpen");
        assertEquals(s.getSession().getProtocol(), info.protocol());
        assertEquals(s.getSession().getCipherSuite(), info.cipherSuite());
        assertEquals(List.of(), info.peerCertificates(), "no client certificate was asked for");
        assertEquals(certs().certificate(Identity.SERVER), info.localCertificates().get(0));
    }

    /** On a TLS 1.3 session the JDK's {@code startHandshake()} sends a KeyUpdate that asks for one back. */
    @Test
    void aTls13KeyUpdateFromThePeerIsAnsweredAndTheStreamGoesOn() throws Exception {
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls(), new EchoHandler()));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContext(), "TLSv1.3");
        assertEquals("TLSv1.3", s.getSession().getProtocol());
        for (int i = 0; i < 3; i++) {
            assertStillEchoes(s);
            s.startHandshake(); // a KeyUpdate, update_requested
        }
        byte[] big = pattern(11, 256 * 1024);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(big);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals(big, readFully(s.getInputStream(), big.length));
        Timeouts.await(writer, "the client to write");
    }

    /** On a TLS 1.2 session the JDK's {@code startHandshake()} renegotiates; the engine allows it, so the guest serves it. */
    @Test
    void aTls12RenegotiationThePeerAsksForIsServedAndTheStreamGoesOn() throws Exception {
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls(), new EchoHandler()));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContext(), "TLSv1.2");
        assertEquals("TLSv1.2", s.getSession().getProtocol());
        assertStillEchoes(s);
        CountDownLatch renegotiated = new CountDownLatch(1);
        s.addHandshakeCompletedListener(e -> renegotiated.countDown());
        s.startHandshake();
        assertStillEchoes(s); // the renegotiation runs while this is read
        Timeouts.await(renegotiated, "the renegotiation to complete");
        assertStillEchoes(s);
    }

    @Test
    void guestClientAndGuestServerEchoAndVerifyTheServerAddress() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(threadsUpTo(2), b -> b.listen(LOOPBACK, serverTls(), server));
        SocketAddress address = h.context().listeners().get(0).localAddress(); // 127.0.0.1: checked against the IP name
        byte[] message = pattern(7, 100_000);
        Recorder client = new Recorder(false) {
            @Override
            public void onOpen(Connection c) {
                super.onOpen(c);
                c.write(ByteBuffer.wrap(message));
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                super.onData(c, data);
                if (received.size() == message.length) {
                    c.closeAfterFlush();
                }
            }
        };
        h.run(0, () -> h.thread(0).connect(address, CONNECT, clientTls(), client));
        TlsInfo info = Timeouts.await(client.opened, "the client's onOpen");
        assertEquals(certs().certificate(Identity.SERVER), info.peerCertificates().get(0));
        assertEquals(Optional.empty(), info.serverName(), "an IP address is sent as no SNI name");
        assertEquals(Optional.empty(), Timeouts.await(client.closed, "the client to close"));
        assertArrayEquals(message, client.received.toByteArray());
        assertEquals(Optional.empty(), Timeouts.await(server.closed, "the server side to close"), "an orderly close both ways");
    }

    @Test
    void plaintextConnectionsHaveNoTlsInfo() throws Exception {
        CompletableFuture<Optional<TlsInfo>> seen = new CompletableFuture<>();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                seen.complete(c.tls());
            }
        }));
        client(h.context().listeners().get(0).localAddress());
        assertEquals(Optional.empty(), Timeouts.await(seen, "onOpen"));
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

    @Test
    void requiredClientAuthRefusesAClientWithoutACertificate() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls().withClientAuth(ClientAuth.REQUIRED), server));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        try {
            SSLSocket s = jdkClient(address, certs().clientContext());
            s.getOutputStream().write(1);
            assertEquals(-1, s.getInputStream().read(), "no echo for a client without a certificate");
        } catch (IOException expected) {
            // the client hears the server's alert (SSLException), or finds the connection gone: also a refusal
        }
        assertInstanceOf(SSLHandshakeException.class, server.failure());
        assertTrue(server.opened.isCompletedExceptionally(), "no onOpen for a client without a certificate");
    }

    @Test
    void requiredClientAuthShowsTheClientCertificateToTheHandler() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls().withClientAuth(ClientAuth.REQUIRED), server));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContextWithCertificate());
        s.getOutputStream().write(42);
        assertEquals(42, s.getInputStream().read());
        TlsInfo info = Timeouts.await(server.opened, "the server's onOpen");
        assertEquals(certs().certificate(Identity.CLIENT), info.peerCertificates().get(0));
    }

    @Test
    void optionalClientAuthAcceptsAClientWithoutACertificate() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls().withClientAuth(ClientAuth.OPTIONAL), server));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContext());
        s.getOutputStream().write(7);
        assertEquals(7, s.getInputStream().read());
        assertEquals(List.of(), Timeouts.await(server.opened, "the server's onOpen").peerCertificates());
    }

    @Test
    void sniChoosesTheCertificateOfTheNameAskedFor() throws Exception {
        List<Optional<String>> serverNames = new CopyOnWriteArrayList<>();
        ServerTls tls = serverTls()
                .withHostName("alpha.test", certs().serverContext(Identity.ALPHA))
                .withHostName("beta.test", certs().serverContext(Identity.BETA));
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, tls, new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                serverNames.add(c.tls().orElseThrow().serverName());
                c.close();
            }
        }));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        assertEquals(certs().certificate(Identity.ALPHA), peerCertificate(h, address, clientTls().withServerName("alpha.test")));
        assertEquals(certs().certificate(Identity.BETA), peerCertificate(h, address, clientTls().withServerName("BETA.test")));
        assertEquals(certs().certificate(Identity.SERVER), peerCertificate(h, address, clientTls()), "no SNI name: the default");
        assertEquals(List.of(Optional.of("alpha.test"), Optional.of("BETA.test"), Optional.empty()), serverNames);
    }

    private Object peerCertificate(GuestHarness h, SocketAddress address, ClientTls tls) {
        Recorder client = new Recorder(false);
        h.run(0, () -> h.thread(0).connect(address, CONNECT, tls, client));
        TlsInfo info = Timeouts.await(client.opened, "the client's onOpen");
        Timeouts.await(client.closed, "the server to close");
        return info.peerCertificates().get(0);
    }

    @Test
    void alpnSettlesOnTheServersFirstChoiceThatTheClientOffers() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls().withApplicationProtocols("h2", "http/1.1"), server));
        Recorder client = new Recorder(false);
        SocketAddress address = h.context().listeners().get(0).localAddress();
        h.run(0, () -> h.thread(0).connect(address, CONNECT, clientTls().withApplicationProtocols("x-test", "http/1.1"), client));
        assertEquals(Optional.of("http/1.1"), Timeouts.await(client.opened, "the client's onOpen").applicationProtocol());
        assertEquals(Optional.of("http/1.1"), Timeouts.await(server.opened, "the server's onOpen").applicationProtocol());
    }

    @Test
    void delegatedTasksRunOffTheLoopThreadAndTheHandshakeResumesOnIt() throws Exception {
        List<Thread> taskThreads = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        closeLater(pool::shutdownNow);
        Executor recording = task -> pool.execute(() -> {
            taskThreads.add(Thread.currentThread());
            task.run();
        });
        CompletableFuture<Thread> openedOn = new CompletableFuture<>();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls().withDelegatedTaskExecutor(recording), new EchoHandler() {
            @Override
            public void onOpen(Connection c) {
                openedOn.complete(Thread.currentThread());
            }
        }));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), certs().clientContext());
        assertStillEchoes(s);
        Thread loop = h.loopThread(0);
        assertEquals(loop, Timeouts.await(openedOn, "onOpen"), "the handshake resumed on the loop thread");
        assertFalse(taskThreads.isEmpty(), "the engine delegated work, and it went to the executor");
        // A fresh service thread has timed no task yet, so even short ones go to the executor first.
        assertFalse(taskThreads.contains(loop), "no delegated task ran on the loop thread");
    }

    @Test
    void adoptWithTlsServesAConnectedSocketAsTheServer() throws Exception {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(1);
        SocketPair pair = closeLater(SocketPair.open(h.context().channelProvider()));
        Socket testSide = pair.far.socket();
        testSide.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        h.run(0, () -> h.thread(0).adopt(pair.near, serverTls(), server));
        SSLSocket s = closeLater((SSLSocket) certs().clientContext().getSocketFactory()
                .createSocket(testSide, "localhost", testSide.getPort(), true));
        s.startHandshake();
        assertStillEchoes(s);
        assertEquals(certs().certificate(Identity.SERVER), s.getSession().getPeerCertificates()[0]);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** {@code s} still gets an echo: its connection and the loop live on. */
    protected static void assertStillEchoes(SSLSocket s) throws IOException {
        byte[] ping = "still here".getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(ping);
        assertArrayEquals(ping, readFully(s.getInputStream(), ping.length));
    }}
