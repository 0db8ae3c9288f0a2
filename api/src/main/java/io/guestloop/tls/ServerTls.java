package io.guestloop.tls;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The server side of TLS, for a listener ({@link io.guestloop.ServiceThread#listen(java.net.SocketAddress,
 * ServerTls, io.guestloop.ConnectionHandler)}, {@link io.guestloop.GuestContext.Builder#listen(java.net.SocketAddress,
 * ServerTls, io.guestloop.ConnectionHandler)}) or an adopted channel. An immutable value: each
 * {@code with...} method returns a changed copy.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.of(sslContext)
 *         .withClientAuth(ClientAuth.OPTIONAL)
 *         .withApplicationProtocols("http/1.1");
 * }</pre>
 *
 * <p><b>SNI:</b> {@link #withHostName} adds engines for one server name; the core reads the name the
 * client asks for from its ClientHello and makes that name's engine, or {@link #engines()}' for a
 * name it does not know or no name at all. A name is matched without regard to case; a name
 * {@code *.example.org} matches one label in its place.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param engines               engines for every server name not in {@code hostNames}
 * @param hostNames             engines per SNI server name (lower case), in the order given
 * @param clientAuth            whether a client certificate is asked for
 * @param applicationProtocols  ALPN protocols, most preferred first
 * @param handshakeTimeout      how long a handshake may take
 * @param delegatedTaskExecutor where delegated tasks run; {@code null} for the core's pool
 */
public record ServerTls(TlsEngineFactory engines, Map<String, TlsEngineFactory> hostNames, ClientAuth clientAuth,
                        List<String> applicationProtocols, Duration handshakeTimeout, Executor delegatedTaskExecutor)
        implements TlsConfig {

    /**
     * Checks and copies the settings.
     *
     * @throws IllegalArgumentException for a handshake timeout that is not positive, an empty host
     *                                  name or ALPN protocol
     */
    public ServerTls {
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(hostNames, "hostNames");
        Map<String, TlsEngineFactory> names = new LinkedHashMap<>();
        hostNames.forEach((name, factory) -> names.put(hostKey(name), Objects.requireNonNull(factory, "factory of " + name)));
        hostNames = java.util.Collections.unmodifiableMap(names);
        applicationProtocols = checkProtocols(applicationProtocols);
        handshakeTimeout = checkTimeout(handshakeTimeout);
    }

    /** A server with the engines of {@code context}, no client auth, no SNI choice, no ALPN. */
    public static ServerTls of(SSLContext context) {
        return of(TlsEngineFactory.of(context));
    }

    /** A server with engines from {@code engines}, no client auth, no SNI choice, no ALPN. */
    public static ServerTls of(TlsEngineFactory engines) {
        return new ServerTls(engines, Map.of(), ClientAuth.NONE, List.of(), DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /** This server, asking for client certificates as {@code auth} says. */
    public ServerTls withClientAuth(ClientAuth auth) {
        return new ServerTls(engines, hostNames, auth, applicationProtocols, handshakeTimeout, delegatedTaskExecutor);
    }

    /** This server, serving the SNI name {@code hostName} with the engines of {@code context}. */
    public ServerTls withHostName(String hostName, SSLContext context) {
        return withHostName(hostName, TlsEngineFactory.of(context));
    }

    /** This server, serving the SNI name {@code hostName} with engines from {@code factory}. */
    public ServerTls withHostName(String hostName, TlsEngineFactory factory) {
        Map<String, TlsEngineFactory> names = new LinkedHashMap<>(hostNames);
        names.put(hostKey(hostName), Objects.requireNonNull(factory, "factory"));
        return new ServerTls(engines, names, clientAuth, applicationProtocols, handshakeTimeout, delegatedTaskExecutor);
    }

    /** This server, choosing among these ALPN protocols (its preference first). */
    public ServerTls withApplicationProtocols(String... protocols) {
        return new ServerTls(engines, hostNames, clientAuth, List.of(protocols), handshakeTimeout, delegatedTaskExecutor);
    }

    /** This server, closing a connection whose handshake has not finished within {@code timeout}. */
    public ServerTls withHandshakeTimeout(Duration timeout) {
        return new ServerTls(engines, hostNames, clientAuth, applicationProtocols, timeout, delegatedTaskExecutor);
    }

    /** This server, running the engines' delegated tasks on {@code executor}. */
    public ServerTls withDelegatedTaskExecutor(Executor executor) {
        return new ServerTls(engines, hostNames, clientAuth, applicationProtocols, handshakeTimeout,
                Objects.requireNonNull(executor, "executor"));
    }

    /**
     * The engines for the SNI name {@code serverName} (exact, then a {@code *.} wildcard for its
     * first label), or {@link #engines()} when no entry matches or the name is {@code null}.
     */
    public TlsEngineFactory enginesFor(String serverName) {
        if (serverName == null || hostNames.isEmpty()) {
            return engines;
        }
        String key = serverName.toLowerCase(Locale.ROOT);
        TlsEngineFactory exact = hostNames.get(key);
        if (exact != null) {
            return exact;
        }
        int dot = key.indexOf('.');
        TlsEngineFactory wildcard = dot > 0 ? hostNames.get("*" + key.substring(dot)) : null;
        return wildcard != null ? wildcard : engines;
    }

    private static String hostKey(String name) {
        Objects.requireNonNull(name, "hostName");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an SNI host name must not be empty");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    static List<String> checkProtocols(List<String> protocols) {
        List<String> copy = List.copyOf(protocols);
        for (String p : copy) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("an ALPN protocol name must not be empty, got " + copy);
            }
        }
        return copy;
    }

    static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "handshakeTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the TLS handshake timeout must be positive, was " + timeout);
        }
        return timeout;
    }
}
