package io.guestloop.tls;

import java.security.cert.Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a TLS connection's handshake settled, as {@link io.guestloop.Connection#tls()} tells it from
 * {@link io.guestloop.ConnectionHandler#onOpen} on.
 *
 * <p><b>Threading:</b> immutable; any thread.
 *
 * @param protocol            the protocol version ({@code TLSv1.3}, {@code TLSv1.2})
 * @param cipherSuite         the cipher suite ({@code TLS_AES_128_GCM_SHA256}, ...)
 * @param applicationProtocol the protocol ALPN chose, when one was
 * @param serverName          the SNI name: the one the client asked for (on a server) or sent (on a client)
 * @param peerCertificates    the peer's certificate chain, its own first; empty when it sent none
 * @param localCertificates   the chain this side sent, its own first; empty when it sent none
 */
public record TlsInfo(String protocol, String cipherSuite, Optional<String> applicationProtocol,
                      Optional<String> serverName, List<Certificate> peerCertificates, List<Certificate> localCertificates) {

    /** Checks and copies the values. */
    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(applicationProtocol, "applicationProtocol");
        Objects.requireNonNull(serverName, "serverName");
        peerCertificates = List.copyOf(peerCertificates);
        localCertificates = List.copyOf(localCertificates);
    }
}
