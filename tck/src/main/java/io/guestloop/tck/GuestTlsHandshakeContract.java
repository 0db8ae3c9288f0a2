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
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for the TLS handshake and the identities it settles: key updates and
 * renegotiation in mid-stream, the server certificate a guest client verifies, client auth, SNI,
 * ALPN, delegated tasks off the loop, TLS on an adopted socket, and no TLS info on plaintext. The
 * data and close contracts, and the TLS helpers, are {@link GuestTlsContract}'s; the bad peers are
 * {@link GuestTlsFailureContract}'s. Certificates come from {@link TestCertificates}.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestTlsHandshakeContract extends GuestTlsContract {

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
        assertEchoesWhole(s, pattern(11, 256 * 1024));
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
        TlsInfo info = serverSideOfOneEcho(ClientAuth.REQUIRED, certs().clientContextWithCertificate(), 42);
        assertEquals(certs().certificate(Identity.CLIENT), info.peerCertificates().get(0));
    }

    @Test
    void optionalClientAuthAcceptsAClientWithoutACertificate() throws Exception {
        assertEquals(List.of(), serverSideOfOneEcho(ClientAuth.OPTIONAL, certs().clientContext(), 7).peerCertificates());
    }

    /** The TLS info the server's handler saw at open, after a JDK client of {@code client} got {@code b} echoed under {@code auth}. */
    private TlsInfo serverSideOfOneEcho(ClientAuth auth, SSLContext client, int b) throws IOException {
        Recorder server = new Recorder(true);
        GuestHarness h = harness(1, builder -> builder.listen(LOOPBACK, serverTls().withClientAuth(auth), server));
        SSLSocket s = jdkClient(h.context().listeners().get(0).localAddress(), client);
        s.getOutputStream().write(b);
        assertEquals(b, s.getInputStream().read());
        return Timeouts.await(server.opened, "the server's onOpen");
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
}
