package io.guestloop.internal.tls;

import io.guestloop.tls.ClientTls;
import io.guestloop.tls.TlsConfig;
import io.guestloop.tls.TlsInfo;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a finished handshake settled from its engine into a {@link TlsInfo}.
 *
 * <p><b>Threading:</b> stateless; called on the connection's service thread.
 */
final class TlsInfos {

    private TlsInfos() {
    }

    static TlsInfo of(SSLEngine engine, TlsConfig config, SocketAddress peer, String requestedName) {
        SSLSession session = engine.getSession();
        List<Certificate> peerCertificates;
        try {
            peerCertificates = List.of(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException none) {
            peerCertificates = List.of();
        }
        Certificate[] local = session.getLocalCertificates();
        String alpn = engine.getApplicationProtocol();
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(),
                alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn),
                Optional.ofNullable(serverName(session, config, peer, requestedName)),
                peerCertificates, local == null ? List.of() : List.of(local));
    }

    private static String serverName(SSLSession session, TlsConfig config, SocketAddress peer, String requestedName) {
        if (config instanceof ClientTls client) {
            String name = EngineSetup.serverName(client, peer);
            return name == null || EngineSetup.isIpLiteral(name) ? null : name;
        }
        if (requestedName != null) {
            return requestedName;
        }
        if (session instanceof ExtendedSSLSession extended) {
            try {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) {
                        return host.getAsciiName();
                    }
                }
            } catch (UnsupportedOperationException notKept) {
                // an engine that does not keep the names: none to tell
            }
        }
        return null;
    }
}
