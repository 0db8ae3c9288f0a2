package io.guestloop.internal.tls;

import io.guestloop.tls.ClientTls;
import io.guestloop.tls.ServerTls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Makes a connection's engine from its settings: the side (client or server mode), client auth, the
 * server name sent and verified, and ALPN, set through {@link SSLParameters} on top of what the
 * user's factory configured, so any {@link SSLEngine} that honours its parameters works.
 *
 * <p><b>Threading:</b> stateless; called on the connection's service thread.
 */
final class EngineSetup {

    private EngineSetup() {
    }

    /** The server name a client sends and verifies: the one set, else the host the address was made from. */
    static String serverName(ClientTls tls, SocketAddress peer) {
        if (tls.serverName() != null) {
            return tls.serverName();
        }
        return peer instanceof InetSocketAddress inet ? inet.getHostString() : null;
    }

    /** A client engine for a connection to {@code peer}. */
    static SSLEngine client(ClientTls tls, SocketAddress peer) throws SSLException {
        String host = serverName(tls, peer);
        if (tls.verifyHostName() && host == null) {
            throw new SSLException("cannot verify the server's host name: " + peer + " has none; give one with "
                    + "ClientTls.withServerName, or turn verification off with withoutHostNameVerification");
        }
        int port = peer instanceof InetSocketAddress inet ? inet.getPort() : -1;
        SSLEngine engine = create(() -> tls.engines().newEngine(host, port));
        try {
            engine.setUseClientMode(true);
            SSLParameters p = engine.getSSLParameters();
            if (host != null && !isIpLiteral(host)) {
                p.setServerNames(List.of(new SNIHostName(host)));
            }
            if (tls.verifyHostName()) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            alpn(p, tls.applicationProtocols());
            engine.setSSLParameters(p);
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot set up the TLS client for " + host + ": " + e.getMessage(), e);
        }
        return engine;
    }

    /** A server engine for a connection from {@code peer} that asked for {@code serverName} (or null). */
    static SSLEngine server(ServerTls tls, String serverName, SocketAddress peer) throws SSLException {
        String host = peer instanceof InetSocketAddress inet ? inet.getHostString() : null;
        int port = peer instanceof InetSocketAddress inet ? inet.getPort() : -1;
        SSLEngine engine = create(() -> tls.enginesFor(serverName).newEngine(host, port));
        try {
            // Plain setters, and SSLParameters only for ALPN: the JDK engine's setSSLParameters gives
            // the engine its own copies of every list (cipher suites, protocols, ...), about 700 bytes
            // that each idle connection would hold, where the engine shares its context's otherwise.
            engine.setUseClientMode(false);
            switch (tls.clientAuth()) {
                case REQUIRED -> engine.setNeedClientAuth(true);
                case OPTIONAL -> engine.setWantClientAuth(true);
                case NONE -> engine.setWantClientAuth(false);
            }
            if (!tls.applicationProtocols().isEmpty()) {
                SSLParameters p = engine.getSSLParameters();
                alpn(p, tls.applicationProtocols());
                engine.setSSLParameters(p);
            }
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot set up the TLS server: " + e.getMessage(), e);
        }
        return engine;
    }

    private static void alpn(SSLParameters p, List<String> protocols) {
        if (!protocols.isEmpty()) {
            p.setApplicationProtocols(protocols.toArray(new String[0]));
        }
    }

    private static SSLEngine create(java.util.function.Supplier<SSLEngine> factory) throws SSLException {
        SSLEngine engine;
        try {
            engine = factory.get();
        } catch (RuntimeException e) {
            throw new SSLException("the TLS engine factory failed: " + e, e);
        }
        if (engine == null) {
            throw new SSLException("the TLS engine factory returned null");
        }
        return engine;
    }

    /** True for an IPv4 or IPv6 literal: such a host is verified against the certificate's IP addresses, and never sent as SNI. */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
