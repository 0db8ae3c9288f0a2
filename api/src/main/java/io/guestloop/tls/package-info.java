/**
 * TLS for guest connections: what a listener, a connect or an adopted channel asks for
 * ({@link io.guestloop.tls.ServerTls}, {@link io.guestloop.tls.ClientTls}) and what a handler can
 * read once the handshake is done ({@link io.guestloop.tls.TlsInfo}).
 *
 * <p>TLS is a layer of the guest core, between a connection's socket and its
 * {@link io.guestloop.ConnectionHandler}: the handler reads and writes plaintext through the same
 * {@link io.guestloop.Connection}, and {@link io.guestloop.ConnectionHandler#onOpen} comes once the
 * handshake has completed. Every backend serves it unchanged. The engine is a
 * {@link javax.net.ssl.SSLEngine}: the JDK's by default, or any other one a
 * {@link io.guestloop.tls.TlsEngineFactory} makes (Netty's OpenSSL engine, for one).
 *
 * <p><b>Threading:</b> the values here are immutable and may be shared by any threads; an engine
 * factory is called on the service thread that owns the new connection.
 */
package io.guestloop.tls;
