package io.guestloop.tls;

/**
 * Whether a TLS server asks the client for a certificate.
 *
 * <p><b>Threading:</b> an immutable constant; any thread.
 */
public enum ClientAuth {
    /** The server asks for no client certificate. */
    NONE,
    /** The server asks for one; a client without one is still accepted. */
    OPTIONAL,
    /** The server insists: a client without a trusted certificate fails the handshake. */
    REQUIRED
}
