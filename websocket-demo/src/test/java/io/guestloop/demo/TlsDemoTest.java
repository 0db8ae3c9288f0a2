package io.guestloop.demo;

import io.guestloop.tck.TestCertificates;
import io.guestloop.tck.TestCertificates.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo on {@code --tls}: the JDK's {@code HttpClient} (its WebSocket, and a plain GET of the
 * page) trusting the test certificate through a trust store, with a key store given and with the
 * self-signed certificate the demo makes at start-up.
 */
class TlsDemoTest {

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void theJdkClientEchoesOverWssWithATrustStoreHoldingTheTestCertificate() throws Exception {
        TestCertificates certs = TestCertificates.get();
        DemoServer demo = fixture.start("--keystore", certs.keyStore(Identity.SERVER).toString(),
                "--keystore-password", TestCertificates.PASSWORD);
        assertEquals("https", demo.pageUri().getScheme());
        assertFalse(demo.selfSigned());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.trustStore())) {
            trust.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(trust)).build();
        echoAndPage(client, demo);
    }

    @Test
    void withoutAKeyStoreTheDemoMakesASelfSignedCertificateAndTellsItsFingerprint() throws Exception {
        DemoServer demo = fixture.start("--tls");
        assertTrue(demo.selfSigned());
        Certificate certificate = demo.certificate();
        assertEquals(TestCertificates.fingerprint(certificate), demo.certificateFingerprint());
        assertTrue(demo.certificateFingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), demo.certificateFingerprint());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("demo", certificate); // what a visitor does after comparing the fingerprint
        echoAndPage(HttpClient.newBuilder().sslContext(trusting(trust)).build(), demo);
    }

    private void echoAndPage(HttpClient client, DemoServer demo) throws Exception {
        try (JdkWebSocketClient echo = JdkWebSocketClient.connectSecure(client, demo, "/ws/echo")) {
            echo.send("hello over wss");
            assertEquals("hello over wss", echo.next("the echo"));
        }
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(demo.pageUri()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("wss://"), "the page opens its sockets with wss:// when it came over https");
    }

    private static SSLContext trusting(KeyStore trust) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
