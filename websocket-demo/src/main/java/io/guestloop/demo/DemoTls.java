package io.guestloop.demo;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's TLS identity: the key and certificate chain of a key store given with
 * {@code --keystore}, or, without one, a self-signed certificate for {@code localhost} and the bind
 * address made at start-up with the JDK's {@code keytool} (kept in memory only; its temporary files
 * are deleted at once). Either way the leaf certificate's SHA-256 fingerprint is what a visitor
 * compares before trusting it.
 *
 * <p><b>Threading:</b> immutable once made; made on the thread that starts the demo.
 */
final class DemoTls {

    private final SSLContext context;
    private final X509Certificate certificate;
    private final boolean selfSigned;

    private DemoTls(KeyStore store, char[] password, boolean selfSigned) throws GeneralSecurityException {
        String alias = keyAlias(store);
        this.certificate = (X509Certificate) store.getCertificate(alias);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        this.context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        this.selfSigned = selfSigned;
    }

    /**
     * The identity in {@code file} (PKCS12 or JKS, found by its content).
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no key
     */
    static DemoTls load(Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance(file.toFile(), password.toCharArray());
            return new DemoTls(store, password.toCharArray(), false);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use key store " + file + ": " + e.getMessage()
                    + " (give a PKCS12 or JKS file with a private key, and its password with --keystore-password)", e);
        }
    }

    /**
     * A self-signed certificate for {@code localhost}, 127.0.0.1 and {@code bindHost} (when it is an
     * address other than the wildcard), valid for 30 days.
     *
     * @throws IllegalStateException when {@code keytool} cannot be run (a runtime without it: give
     *                               {@code --keystore} instead)
     */
    static DemoTls selfSigned(String bindHost) {
        String password = "demo-" + Long.toHexString(System.nanoTime());
        Path dir = null;
        try {
            dir = Files.createTempDirectory("guestloop-demo-tls");
            Path file = dir.resolve("demo.p12");
            String san = "SAN=dns:localhost,ip:127.0.0.1";
            if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.equals("127.0.0.1")) {
                san += bindHost.matches("[0-9.]+") || bindHost.contains(":") ? ",ip:" + bindHost : ",dns:" + bindHost;
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", password,
                    "-keypass", password, "-alias", "demo", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=guestloop demo", "-validity", "30", "-ext", san));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not make the self-signed certificate within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed to make the self-signed certificate: "
                        + Files.readString(dir.resolve("keytool.log")).strip());
            }
            return new DemoTls(KeyStore.getInstance(file.toFile(), password.toCharArray()), password.toCharArray(), true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate with the JDK's keytool (" + e.getMessage()
                    + "); give a key store with --keystore instead", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the self-signed certificate keytool made: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the self-signed certificate", e);
        } finally {
            deleteTree(dir);
        }
    }

    /** The server's TLS context. */
    SSLContext context() {
        return context;
    }

    /** The server's own certificate (the leaf of its chain). */
    X509Certificate certificate() {
        return certificate;
    }

    /** True when the certificate was made at start-up. */
    boolean selfSigned() {
        return selfSigned;
    }

    /** The SHA-256 fingerprint of {@link #certificate()}, colon-separated upper-case hex, as browsers show it. */
    String fingerprint() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String keyAlias(KeyStore store) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Certificate c = store.getCertificate(alias);
                if (c instanceof X509Certificate) {
                    return alias;
                }
            }
        }
        throw new java.security.KeyStoreException("the key store holds no private key with an X.509 certificate");
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing secret is left in it once the store was loaded
        }
    }
}
