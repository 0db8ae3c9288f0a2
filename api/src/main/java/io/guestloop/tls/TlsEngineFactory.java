package io.guestloop.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.util.Objects;

/**
 * Makes the {@link SSLEngine} of one new TLS connection. The core sets the engine's side (client or
 * server mode) and the settings of the {@link ServerTls} or {@link ClientTls} asked for (client
 * auth, server name, host-name verification, ALPN) on top of what the factory configured, so a
 * factory only picks the provider, the keys and the trust: {@link #of(SSLContext)} for the JDK's
 * engine, or a lambda returning any other {@code SSLEngine} (Netty's OpenSSL engine from
 * {@code SslContext.newEngine(ByteBufAllocator, String, int)}, say).
 *
 * <p><b>Threading:</b> called on the service thread of the new connection; it must not block
 * (creating an engine from a ready context does not).
 */
@FunctionalInterface
public interface TlsEngineFactory {

    /**
     * A new engine for a connection with {@code peerHost}:{@code peerPort}: the server name a
     * client connects to (the key for session resumption), or the peer's address on a server;
     * {@code null} and {@code -1} when there is none.
     */
    SSLEngine newEngine(String peerHost, int peerPort);

    /** Engines of {@code context} ({@link SSLContext#createSSLEngine(String, int)}). */
    static TlsEngineFactory of(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return context::createSSLEngine;
    }
}
