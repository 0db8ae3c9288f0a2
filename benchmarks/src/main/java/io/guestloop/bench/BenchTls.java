package io.guestloop.bench;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS set-up of the TLS cells: one server certificate for {@code localhost} and {@code 127.0.0.1}
 * (EC P-256, self-signed, made with the JDK's {@code keytool} on first use and kept under
 * {@code benchmarks/target/bench-tls/}), TLS 1.3 only, and the engines each server is asked for: the
 * JDK's ({@link Engine#JDK}) or Netty's OpenSSL engine from {@code netty-tcnative-boringssl-static}
 * ({@link Engine#OPENSSL}). The generator always uses the cheapest engine it has (OpenSSL when it
 * loads) and trusts exactly that certificate, so every server meets the same client.
 *
 * <p><b>Threading:</b> any thread; {@link #ensureKeystore()} is safe to call from several processes
 * (the keystore appears by an atomic move).
 */
final class BenchTls {

    /** Where the keystore lives, relative to the repository root (where {@code run.sh} runs). */
    static final Path KEYSTORE = Path.of("benchmarks", "target", "bench-tls", "server.p12");
    static final String PASSWORD = "guestloop-bench";
    static final List<String> PROTOCOLS = List.of("TLSv1.3");

    /** Which {@code SSLEngine} a TLS server runs on. */
    enum Engine {
        /** The JDK's own provider (SunJSSE). */
        JDK,
        /** Netty's OpenSSL (BoringSSL) engine. */
        OPENSSL
    }

    private BenchTls() {
    }

    /** Makes the keystore unless it exists; returns its path. */
    static synchronized Path ensureKeystore() {
        if (Files.exists(KEYSTORE)) {
            return KEYSTORE;
        }
        try {
            Files.createDirectories(KEYSTORE.getParent());
            Path tmp = Files.createTempFile(KEYSTORE.getParent(), "server", ".p12");
            Files.delete(tmp); // keytool refuses to write into an existing empty file
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "365",
                    "-storetype", "PKCS12", "-keystore", tmp.toString(), "-storepass", PASSWORD)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            Files.move(tmp, KEYSTORE, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return KEYSTORE;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the benchmark keystore " + KEYSTORE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the benchmark keystore", e);
        }
    }

    static KeyStore keyStore() {
        try (InputStream in = Files.newInputStream(ensureKeystore())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the benchmark keystore " + KEYSTORE, e);
        }
    }

    static KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore(), PASSWORD.toCharArray());
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the benchmark key", e);
        }
    }

    static TrustManagerFactory trustManagers() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore());
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the benchmark certificate", e);
        }
    }

    /** A JDK server context (TLS 1.3 is chosen on the engine) for servers that take an {@code SSLContext}. */
    static SSLContext jdkServerContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(keyManagers().getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a JDK TLS server context", e);
        }
    }

    /** A Netty server context on {@code engine}, TLS 1.3 only. */
    static SslContext nettyServer(Engine engine) {
        try {
            return SslContextBuilder.forServer(keyManagers()).sslProvider(provider(engine)).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a Netty TLS server context on " + engine, e);
        }
    }

    /** The generator's client context: OpenSSL when it loads, trusting the benchmark certificate only. */
    static SslContext generatorClient() {
        try {
            return SslContextBuilder.forClient().sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .trustManager(trustManagers()).protocols(PROTOCOLS)
                    // Engines are made without a peer host so that no session is cached and resumed;
                    // without a host there is no name to check, and the trust store holds exactly the one certificate.
                    .endpointIdentificationAlgorithm(null).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make the generator's TLS client context", e);
        }
    }

    /** The engine the generator uses, for the report. */
    static String generatorEngine() {
        return OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK (OpenSSL did not load)";
    }

    static SslProvider provider(Engine engine) {
        if (engine == Engine.OPENSSL && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("Netty's OpenSSL engine does not load here", OpenSsl.unavailabilityCause());
        }
        return engine == Engine.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
