package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.tck.TestCertificates.Identity;
import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest-layer contracts for TLS peers that go wrong: garbage, plaintext HTTP, a truncated or silent
 * handshake, an untrusted, expired or misnamed certificate. Each ends its own connection, with an
 * {@link SSLHandshakeException} that names the failure, and no other.
 *
 * <p><b>Threading:</b> test methods run on the JUnit thread and reach the loop through
 * {@link GuestHarness}.
 */
public abstract class GuestTlsFailureContract extends GuestTlsHandshakeContract {

    @Test
    void garbageFromThePeerEndsItsConnectionWithAHandshakeFailureAndNoOther() throws Exception {
        Accepting accepting = new Accepting();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls(), accepting));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        SSLSocket good = jdkClient(address, certs().clientContext());
        Socket bad = client(address);
        byte[] garbage = new byte[4096];
        new java.util.Random(12).nextBytes(garbage);
        garbage[0] = 0x17; // application data before any handshake
        bad.getOutputStream().write(garbage);
        assertEndsSoon(bad);
        accepting.nextHandshakeFailure();
        assertStillEchoes(good);
        accepting.assertNoOtherFailure();
    }

    @Test
    void plaintextHttpToATlsPortEndsWithAHandshakeFailureAndNothingElse() throws Exception {
        Accepting accepting = new Accepting();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls(), accepting));
        SocketAddress address = h.context().listeners().get(0).localAddress();
        SSLSocket good = jdkClient(address, certs().clientContext());
        Socket http = client(address);
        http.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEndsSoon(http);
        Throwable cause = accepting.nextHandshakeFailure();
        assertTrue(cause.getMessage() != null && !cause.getMessage().isEmpty(), "the engine's message: " + cause);
        assertStillEchoes(good);
        accepting.assertNoOtherFailure();
    }

    @Test
    void aTruncatedHandshakeEndsWithAHandshakeFailure() throws Exception {
        Accepting accepting = new Accepting();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls(), accepting));
        Socket s = client(h.context().listeners().get(0).localAddress());
        byte[] hello = clientHello();
        s.getOutputStream().write(hello, 0, hello.length / 2);
        s.shutdownOutput();
        assertEndsSoon(s);
        Throwable cause = accepting.nextHandshakeFailure();
        assertTrue(cause.getMessage().contains("closed the connection during the TLS handshake"), cause.getMessage());
    }

    @Test
    void aHandshakeThatNeverFinishesTimesOut() throws Exception {
        Accepting accepting = new Accepting();
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, serverTls().withHandshakeTimeout(Duration.ofMillis(300)), accepting));
        Socket silent = client(h.context().listeners().get(0).localAddress());
        assertEndsSoon(silent);
        Throwable cause = accepting.nextHandshakeFailure();
        assertTrue(cause.getMessage().contains("timed out") && cause.getMessage().contains("300 ms"), cause.getMessage());
    }

    @Test
    void anUntrustedServerCertificateFailsTheClientsHandshake() throws Exception {
        Throwable cause = clientFailure(ServerTls.of(certs().serverContext(Identity.STRANGER)), clientTls());
        assertInstanceOf(SSLHandshakeException.class, cause);
    }

    @Test
    void anExpiredServerCertificateFailsTheClientsHandshake() throws Exception {
        Throwable cause = clientFailure(ServerTls.of(certs().serverContext(Identity.EXPIRED)), clientTls());
        assertInstanceOf(SSLHandshakeException.class, cause);
        assertTrue(causeChainHas(cause, java.security.cert.CertificateExpiredException.class)
                || String.valueOf(cause.getMessage()).contains("validity"), "expiry named: " + cause);
    }

    @Test
    void aServerCertificateForAnotherNameFailsTheClientsHandshake() throws Exception {
        Throwable cause = clientFailure(serverTls(), clientTls().withServerName("elsewhere.test"));
        assertInstanceOf(SSLHandshakeException.class, cause);
        assertTrue(String.valueOf(cause.getMessage()).contains("elsewhere.test"), "the name is in the message: " + cause);
    }

    private Throwable clientFailure(ServerTls server, ClientTls client) {
        GuestHarness h = harness(1, b -> b.listen(LOOPBACK, server, new Recorder(true)));
        Recorder c = new Recorder(false);
        SocketAddress address = h.context().listeners().get(0).localAddress();
        h.run(0, () -> h.thread(0).connect(address, CONNECT, client, c));
        Throwable cause = c.failure();
        assertTrue(c.opened.isCompletedExceptionally(), "no onOpen for a failed handshake");
        return cause;
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Echoes, and keeps the cause of every connection that closed with one. */
    private static final class Accepting extends EchoHandler {
        private final java.util.concurrent.BlockingQueue<Throwable> failures = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void onClosed(Connection c, Throwable cause) {
            if (cause != null) {
                failures.add(cause);
            }
        }

        /** The next failure, which must be a handshake failure. */
        Throwable nextHandshakeFailure() throws InterruptedException {
            Throwable t = failures.poll(Timeouts.AWAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (t == null) {
                throw new AssertionError("no connection failed within " + Timeouts.AWAIT.toSeconds() + " s");
            }
            assertInstanceOf(SSLHandshakeException.class, t, "the failure names TLS");
            return t;
        }

        /** No failure beyond those taken. */
        void assertNoOtherFailure() {
            assertEquals(List.of(), List.copyOf(failures), "other connections that failed");
        }
    }

    /** The socket sees the end of the stream (an alert, perhaps, then EOF) or a reset, within the bound. */
    private static void assertEndsSoon(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            byte[] sink = new byte[1024];
            int total = 0;
            while (in.read(sink) >= 0) {
                total += 1;
                assertTrue(total < 1024, "the guest keeps sending to a peer it refused");
            }
        } catch (java.net.SocketException reset) {
            // a reset also ends it
        }
    }

    /** The first flight of a JDK TLS client, as it would go on the wire. */
    private static byte[] clientHello() throws IOException {
        SSLEngine engine = certs().clientContext().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] b = new byte[out.flip().remaining()];
        out.get(b);
        return b;
    }

    private static boolean causeChainHas(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
