package io.guestloop.bench;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS identity every TLS server of the comparison presents: one EC P-256 key with a self-signed
 * certificate for 127.0.0.1, made once with the JDK's {@code keytool} into the temporary directory
 * and reused by every server process, so that all of them do the same handshake work. The load
 * generator trusts any certificate: it measures servers, not trust.
 *
 * <p><b>Threading:</b> {@link #context()} is thread-safe.
 */
final class BenchTls {

    static final String PASSWORD = "guestloop-bench";
    private static final Path STORE = Path.of(System.getProperty("java.io.tmpdir"), "guestloop-bench-tls-p256.p12");
    private static SSLContext context;
    private static KeyManagerFactory keys;

    private BenchTls() {
    }

    /** The PKCS12 file with the key and certificate (alias {@code bench}), made on first use. */
    static synchronized Path keyStore() {
        if (!Files.exists(STORE)) {
            make();
        }
        return STORE;
    }

    /** The key of {@link #keyStore()}, for Netty's {@code SslContextBuilder.forServer}. */
    static synchronized KeyManagerFactory keyManagers() {
        if (keys == null) {
            try {
                KeyStore store = KeyStore.getInstance(keyStore().toFile(), PASSWORD.toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, PASSWORD.toCharArray());
                keys = kmf;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load " + STORE + ": " + e, e);
            }
        }
        return keys;
    }

    /** A server context with the key of {@link #keyStore()} (the JDK provider). */
    static synchronized SSLContext context() {
        if (context == null) {
            try {
                SSLContext c = SSLContext.getInstance("TLS");
                c.init(keyManagers().getKeyManagers(), null, null);
                context = c;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a TLS context of " + STORE + ": " + e, e);
            }
        }
        return context;
    }

    private static void make() {
        try {
            Path tmp = Files.createTempFile(STORE.getParent(), "guestloop-bench-tls", ".p12");
            Files.delete(tmp); // keytool makes the file itself
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keystore", tmp.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD,
                    "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=guestloop bench",
                    "-validity", "3650", "-ext", "SAN=ip:127.0.0.1,dns:localhost"))
                    .redirectErrorStream(true).redirectOutput(new File(tmp + ".log")).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make " + STORE + ": " + Files.readString(Path.of(tmp + ".log")));
            }
            Files.deleteIfExists(Path.of(tmp + ".log"));
            Files.move(tmp, STORE, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the benchmark's TLS key with keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
