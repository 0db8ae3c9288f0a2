package io.guestloop.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * What every TLS side has: the ALPN protocols offered, how long the handshake may take, and where
 * the engine's delegated tasks run. {@link ServerTls} and {@link ClientTls} are the two sides;
 * {@link io.guestloop.ServiceThread#adopt(java.nio.channels.SelectableChannel, TlsConfig,
 * io.guestloop.ConnectionHandler)} takes either.
 *
 * <p><b>Threading:</b> implementations are immutable; any thread.
 */
public sealed interface TlsConfig permits ServerTls, ClientTls {

    /** The default handshake timeout: 10 seconds. */
    Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The ALPN protocols, most preferred first (RFC 7301); empty for no ALPN. A client offers them;
     * a server picks the first of its own list that the client offered.
     */
    List<String> applicationProtocols();

    /**
     * How long the handshake may take, from the moment the connection is established (accepted,
     * connected or adopted): a peer that has not finished by then is closed with an
     * {@link javax.net.ssl.SSLHandshakeException} that names the timeout. Timed on a guest timer.
     */
    Duration handshakeTimeout();

    /**
     * Where the engine's delegated tasks ({@link javax.net.ssl.SSLEngine#getDelegatedTask()}: key
     * exchange, certificate checks) run when they may take long; the handshake resumes on the loop
     * thread when they are done. {@code null} for the core's shared pool of daemon threads.
     *
     * <p>Short tasks skip the hop: each service thread times the tasks of each engine class, and
     * once eight runs in a row took at most 150 µs each (OpenSSL's key-material and certificate
     * callbacks take microseconds), that class's tasks run inline on the loop thread, as Netty's
     * {@code SslHandler} runs all of them by default. One run over 150 µs sends the next ones here
     * again, and a service thread runs nothing inline before it has timed it here; so the JDK
     * engine's signatures, which take milliseconds, stay here.
     */
    Executor delegatedTaskExecutor();
}
