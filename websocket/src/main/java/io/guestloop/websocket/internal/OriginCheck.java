package io.guestloop.websocket.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Whether a server accepts an upgrade from the page a browser names in the {@code Origin} header.
 * Browsers let any site open a WebSocket to any server, with the visitor's cookies: a server that
 * accepts every origin can be driven by another site open in its users' browsers (cross-site
 * WebSocket hijacking). So the default, {@link #SAME_ORIGIN}, accepts a request without
 * {@code Origin} (not a browser) and one whose origin is the server itself, as the request's own
 * {@code Host} names it, and refuses every other.
 *
 * <p><b>Threading:</b> implementations are called on the connections' service threads and must be
 * quick and thread-safe; the ones here are stateless.
 */
@FunctionalInterface
public interface OriginCheck {

    /**
     * @param origin the {@code Origin} header, or null when the request has none
     * @param host   the {@code Host} header (always present in an upgrade that got this far)
     * @return true to accept the upgrade, false to answer 403
     */
    boolean allows(String origin, String host);

    /** Accepts every request: the application has other protection, or serves no browser. */
    OriginCheck ANY = (origin, host) -> true;

    /**
     * Accepts a request without {@code Origin}, or one whose origin (an {@code http} or
     * {@code https} URL: host compared ignoring case, port explicit or the scheme's default) is the
     * request's {@code Host} (its port, or the origin's default port when it names none). Anything
     * else, {@code Origin: null} and malformed values included, is refused.
     */
    OriginCheck SAME_ORIGIN = OriginCheck::sameOrigin;

    /** The application's own check, which sees the {@code Origin} header only. */
    static OriginCheck of(Predicate<String> check) {
        return (origin, host) -> check.test(origin);
    }

    private static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("http") ? 80 : scheme.equals("https") ? 443 : -1;
        if (defaultPort < 0 || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false; // an origin is scheme://host[:port] and nothing more
        }
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();

        String h = host.strip();
        String hostName;
        int hostPort;
        int colon = h.startsWith("[") ? h.indexOf(':', Math.max(h.indexOf(']'), 0)) : h.lastIndexOf(':');
        if (colon < 0) {
            hostName = h;
            hostPort = originPort == defaultPort ? defaultPort : -1;
        } else {
            hostName = h.substring(0, colon);
            String port = h.substring(colon + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            hostPort = Integer.parseInt(port);
        }
        return !hostName.isEmpty() && hostName.equalsIgnoreCase(uri.getHost()) && hostPort == originPort;
    }
}
