package io.guestloop.tck;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made at run time with the JDK's {@code keytool} (never fetched, never
 * committed), once per build: the first JVM makes them into {@code target/guestloop-test-certs},
 * the others read them from there.
 *
 * <ul>
 *   <li>a test CA, and {@link Identity#SERVER}: {@code localhost} (DNS name and 127.0.0.1) signed by it;</li>
 *   <li>{@link Identity#ALPHA} and {@link Identity#BETA}: self-signed, for {@code alpha.test} and
 *       {@code beta.test} (SNI), trusted by {@link #clientContext()};</li>
 *   <li>{@link Identity#EXPIRED}: {@code localhost} signed by the CA, expired yesterday;</li>
 *   <li>{@link Identity#STRANGER}: {@code localhost}, self-signed, trusted by nobody;</li>
 *   <li>{@link Identity#CLIENT}: a client certificate, trusted by every server context.</li>
 * </ul>
 *
 * <p>Files for programs outside the JVM: {@link #keyStore} (PKCS12 with the chain),
 * {@link #trustStore()} (PKCS12) and {@link #caPem()}; every password is {@link #PASSWORD}.
 *
 * <p><b>Threading:</b> thread-safe; {@link #get()} makes them on first use and blocks while it
 * does (a few seconds), so call it from a test thread, never from a loop thread.
 */
public final class TestCertificates {

    /** The password of every key store this class writes. */
    public static final String PASSWORD = "guestloop";
    /** The file that marks a shared directory complete; its time says how old the certificates are. */
    private static final String READY = "READY";

    /** Who a certificate names. */
    public enum Identity {
        /** {@code localhost} and 127.0.0.1, signed by the test CA. */
        SERVER("CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", true),
        /** {@code alpha.test}, self-signed and trusted. */
        ALPHA("CN=alpha.test", "SAN=dns:alpha.test", false),
        /** {@code beta.test}, self-signed and trusted. */
        BETA("CN=beta.test", "SAN=dns:beta.test", false),
        /** {@code localhost}, signed by the test CA, no longer valid. */
        EXPIRED("CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", true),
        /** {@code localhost}, self-signed, trusted by nobody. */
        STRANGER("CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", false),
        /** A client, self-signed, trusted by the servers for client auth. */
        CLIENT("CN=guestloop test client", null, false);

        private final String dname;
        private final String san;
        private final boolean signedByCa;

        Identity(String dname, String san, boolean signedByCa) {
            this.dname = dname;
            this.san = san;
            this.signedByCa = signedByCa;
        }

        private String file() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static TestCertificates instance;

    private final Path dir;
    private final X509Certificate ca;
    private final Map<Identity, KeyStore> keys = new EnumMap<>(Identity.class);
    private final KeyStore trust;
    private final KeyStore clientTrust;

    /** @param make run keytool into {@code dir} and write the derived stores first; else only read what is there */
    private TestCertificates(Path dir, boolean make) throws IOException, GeneralSecurityException {
        this.dir = dir;
        if (make) {
            make();
        }
        this.ca = (X509Certificate) load(dir.resolve("ca.p12")).getCertificate("key");
        for (Identity id : Identity.values()) {
            keys.put(id, chainStore(id));
        }
        trust = emptyStore();
        trust.setCertificateEntry("ca", ca);
        trust.setCertificateEntry("alpha", certificate(Identity.ALPHA));
        trust.setCertificateEntry("beta", certificate(Identity.BETA));
        clientTrust = emptyStore();
        clientTrust.setCertificateEntry("client", certificate(Identity.CLIENT));
        if (!make) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }
        for (Identity id : Identity.values()) {
            try (OutputStream out = Files.newOutputStream(dir.resolve(id.file() + "-chain.p12"))) {
                keys.get(id).store(out, PASSWORD.toCharArray());
            }
        }
        Files.writeString(dir.resolve("ca.pem"), pem(ca), StandardCharsets.US_ASCII);
    }

    /**
     * The certificates of this build, made on the first call of the first JVM that asks: they are
     * shared through {@code target/guestloop-test-certs} of the working directory (a module's own
     * {@code target/} under Maven), so that the many test JVMs of one build run keytool once, and are
     * made anew when a day old (the expired one stays expired, the others far from their end).
     */
    public static synchronized TestCertificates get() {
        if (instance == null) {
            try {
                instance = new TestCertificates(sharedDirectory(), false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the test certificates with keytool: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load the test certificates keytool made: " + e, e);
            }
        }
        return instance;
    }

    /** A server context with the keys of {@code id}, trusting the {@link Identity#CLIENT} certificate (for client auth). */
    public SSLContext serverContext(Identity id) {
        return context(keys.get(id), clientTrust);
    }

    /** A client context with no key, trusting the test CA, {@link Identity#ALPHA} and {@link Identity#BETA}. */
    public SSLContext clientContext() {
        return context(null, trust);
    }

    /** A client context with the {@link Identity#CLIENT} key, trusting what {@link #clientContext()} trusts. */
    public SSLContext clientContextWithCertificate() {
        return context(keys.get(Identity.CLIENT), trust);
    }

    /** The leaf certificate of {@code id}. */
    public X509Certificate certificate(Identity id) {
        try {
            return (X509Certificate) keys.get(id).getCertificate("key");
        } catch (java.security.KeyStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The test CA's certificate. */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** A PKCS12 key store file with the key and chain of {@code id} under the alias {@code key}. */
    public Path keyStore(Identity id) {
        return dir.resolve(id.file() + "-chain.p12");
    }

    /** A PKCS12 trust store file holding what {@link #clientContext()} trusts. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The test CA's certificate as a PEM file (for a Python {@code ssl} context, say). */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The SHA-256 fingerprint of {@code certificate}, as colon-separated upper-case hex. */
    public static String fingerprint(Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- making them --------------------------------------------------------------------------

    private void make() throws IOException {
        List<List<String>> keypairs = new ArrayList<>();
        keypairs.add(genkeypair("ca", "CN=guestloop test CA", "bc:c"));
        for (Identity id : Identity.values()) {
            keypairs.add(genkeypair(id.file(), id.dname, id.san));
        }
        runAll(keypairs);
        List<List<String>> requests = new ArrayList<>();
        List<List<String>> signings = new ArrayList<>();
        for (Identity id : Identity.values()) {
            if (!id.signedByCa) {
                continue;
            }
            requests.add(List.of("-certreq", "-keystore", id.file() + ".p12", "-storepass", PASSWORD, "-alias", "key",
                    "-file", id.file() + ".csr"));
            List<String> sign = new ArrayList<>(List.of("-gencert", "-keystore", "ca.p12", "-storepass", PASSWORD, "-alias", "key",
                    "-infile", id.file() + ".csr", "-outfile", id.file() + ".crt", "-rfc", "-ext", id.san));
            if (id == Identity.EXPIRED) {
                sign.addAll(List.of("-startdate", "-3d", "-validity", "1"));
            } else {
                sign.addAll(List.of("-validity", "30"));
            }
            signings.add(sign);
        }
        runAll(requests);
        runAll(signings);
    }

    private static List<String> genkeypair(String file, String dname, String ext) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", file + ".p12", "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-validity", "30"));
        if (ext != null) {
            args.addAll(List.of("-ext", ext));
        }
        return args;
    }

    /** Runs keytool once per argument list, all at once, and waits for every one. */
    private void runAll(List<List<String>> invocations) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<Process> running = new ArrayList<>();
        for (List<String> args : invocations) {
            List<String> command = new ArrayList<>();
            command.add(keytool.toString());
            command.addAll(args);
            running.add(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("keytool-" + running.size() + ".log").toFile()).start());
        }
        for (int i = 0; i < running.size(); i++) {
            Process p = running.get(i);
            try {
                if (!p.waitFor(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("keytool " + invocations.get(i) + " did not finish in " + Timeouts.AWAIT.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for keytool", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool " + invocations.get(i) + " failed with exit code " + p.exitValue() + ": "
                        + Files.readString(dir.resolve("keytool-" + i + ".log")));
            }
        }
    }

    /** The key of {@code id} with its chain: leaf then CA for a CA-signed one, the self-signed leaf otherwise. */
    private KeyStore chainStore(Identity id) throws IOException, GeneralSecurityException {
        KeyStore own = load(dir.resolve(id.file() + ".p12"));
        PrivateKey key = (PrivateKey) own.getKey("key", PASSWORD.toCharArray());
        Certificate[] chain;
        if (id.signedByCa) {
            Certificate leaf;
            try (InputStream in = Files.newInputStream(dir.resolve(id.file() + ".crt"))) {
                leaf = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            chain = new Certificate[] {leaf, ca};
        } else {
            chain = own.getCertificateChain("key");
        }
        KeyStore store = emptyStore();
        store.setKeyEntry("key", key, PASSWORD.toCharArray(), chain);
        return store;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static SSLContext context(KeyStore keyStore, KeyStore trustStore) {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context of the test certificates: " + e, e);
        }
    }

    private static String pem(Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared directory, made (in a directory of its own, then moved into place whole) unless fresh. */
    private static Path sharedDirectory() throws IOException, GeneralSecurityException {
        Path shared = Path.of(System.getProperty("guestloop.test.certificates", "target/guestloop-test-certs")).toAbsolutePath();
        if (isFresh(shared)) {
            return shared;
        }
        Files.createDirectories(shared.getParent());
        Path made = Files.createTempDirectory(shared.getParent(), "guestloop-test-certs-");
        new TestCertificates(made, true);
        Files.writeString(made.resolve(READY), java.time.Instant.now().toString(), StandardCharsets.US_ASCII);
        if (Files.exists(shared) && !isFresh(shared)) {
            deleteTree(shared);
        }
        try {
            Files.move(made, shared, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException anotherJvmWasFirst) {
            deleteTree(made);
            if (!isFresh(shared)) {
                throw anotherJvmWasFirst;
            }
        }
        return shared;
    }

    private static boolean isFresh(Path dir) throws IOException {
        Path ready = dir.resolve(READY);
        return Files.exists(ready) && Files.getLastModifiedTime(ready).toInstant()
                .isAfter(java.time.Instant.now().minus(java.time.Duration.ofDays(1)));
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // under target/: the next clean removes what is left
        }
    }
}
