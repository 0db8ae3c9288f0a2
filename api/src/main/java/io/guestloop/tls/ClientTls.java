package io.guestloop.tls;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The client side of TLS, for {@link io.guestloop.ServiceThread#connect(java.net.SocketAddress,
 * Duration, ClientTls, io.guestloop.ConnectionHandler)} or an adopted channel. An immutable value:
 * each {@code with...} method returns a changed copy.
 *
 * <p>The client sends a server name (SNI) and, by default, checks the server's certificate against
 * it (endpoint identification {@code "HTTPS"}, RFC 2818): the name given with
 * {@link #withServerName}, else the host name of the address connected to
 * ({@link java.net.InetSocketAddress#getHostString()}, a name when the address was made from one).
 * An IP literal is verified against the certificate's IP addresses and sent as no SNI name.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.of(sslContext).withServerName("example.org");
 * thread.connect(address, Duration.ofSeconds(5), tls, handler);
 * }</pre>
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param engines               makes the engine of each connection
 * @param serverName            the server name to send and verify; {@code null} for the host of the address
 * @param verifyHostName        check the server's certificate against the server name
 * @param applicationProtocols  ALPN protocols offered, most preferred first
 * @param handshakeTimeout      how long a handshake may take
 * @param delegatedTaskExecutor where delegated tasks run; {@code null} for the core's pool
 */
public record ClientTls(TlsEngineFactory engines, String serverName, boolean verifyHostName,
                        List<String> applicationProtocols, Duration handshakeTimeout, Executor delegatedTaskExecutor)
        implements TlsConfig {

    /**
     * Checks and copies the settings.
     *
     * @throws IllegalArgumentException for a handshake timeout that is not positive, an empty server
     *                                  name or ALPN protocol
     */
    public ClientTls {
        Objects.requireNonNull(engines, "engines");
        if (serverName != null && serverName.isEmpty()) {
            throw new IllegalArgumentException("a server name must not be empty (null means: the host connected to)");
        }
        applicationProtocols = ServerTls.checkProtocols(applicationProtocols);
        handshakeTimeout = ServerTls.checkTimeout(handshakeTimeout);
    }

    /** A client with the engines of {@code context}, verifying the host name, no ALPN. */
    public static ClientTls of(SSLContext context) {
        return of(TlsEngineFactory.of(context));
    }

    /** A client with engines from {@code engines}, verifying the host name, no ALPN. */
    public static ClientTls of(TlsEngineFactory engines) {
        return new ClientTls(engines, null, true, List.of(), DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /**
     * A client that trusts what the JVM trusts by default ({@link SSLContext#getDefault()}: the
     * {@code cacerts} of the JDK, or {@code javax.net.ssl.trustStore}).
     *
     * @throws IllegalStateException when the JVM has no default TLS context
     */
    public static ClientTls system() {
        try {
            return of(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM offers no default SSLContext: " + e.getMessage(), e);
        }
    }

    /** This client, sending and verifying {@code name} rather than the host of the address. */
    public ClientTls withServerName(String name) {
        return new ClientTls(engines, Objects.requireNonNull(name, "name"), verifyHostName, applicationProtocols,
                handshakeTimeout, delegatedTaskExecutor);
    }

    /**
     * This client, not checking the server's certificate against the server name (the chain is
     * still checked against the trust of the engine). Only for tests and private networks.
     */
    public ClientTls withoutHostNameVerification() {
        return new ClientTls(engines, serverName, false, applicationProtocols, handshakeTimeout, delegatedTaskExecutor);
    }

    /** This client, offering these ALPN protocols (most preferred first). */
    public ClientTls withApplicationProtocols(String... protocols) {
        return new ClientTls(engines, serverName, verifyHostName, List.of(protocols), handshakeTimeout, delegatedTaskExecutor);
    }

    /** This client, closing a connection whose handshake has not finished within {@code timeout}. */
    public ClientTls withHandshakeTimeout(Duration timeout) {
        return new ClientTls(engines, serverName, verifyHostName, applicationProtocols, timeout, delegatedTaskExecutor);
    }

    /** This client, running the engines' delegated tasks on {@code executor}. */
    public ClientTls withDelegatedTaskExecutor(Executor executor) {
        return new ClientTls(engines, serverName, verifyHostName, applicationProtocols, handshakeTimeout,
                Objects.requireNonNull(executor, "executor"));
    }
}
