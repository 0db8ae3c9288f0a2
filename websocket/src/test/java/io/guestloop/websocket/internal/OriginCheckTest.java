package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same-origin rule, case by case. */
class OriginCheckTest {

    private static boolean same(String origin, String host) {
        return OriginCheck.SAME_ORIGIN.allows(origin, host);
    }

    @Test
    void noOriginIsNotABrowserAndPasses() {
        assertTrue(same(null, "example.com"));
    }

    @Test
    void theRequestsOwnHostAndPortPass() {
        assertTrue(same("http://example.com:8080", "example.com:8080"));
        assertTrue(same("http://Example.COM:8080", "example.com:8080"));
        assertTrue(same("http://example.com", "example.com"), "port 80 on both sides");
        assertTrue(same("http://example.com", "example.com:80"));
        assertTrue(same("https://example.com", "example.com"), "TLS ended in front of the server: Host without port");
        assertTrue(same("https://example.com:8443", "example.com:8443"));
        assertTrue(same("http://[::1]:7681", "[::1]:7681"));
        assertTrue(same("http://[::1]", "[::1]"));
    }

    @Test
    void anotherHostPortOrSchemeIsRefused() {
        assertFalse(same("http://evil.example", "example.com"));
        assertFalse(same("http://example.com:8081", "example.com:8080"));
        assertFalse(same("http://example.com:8080", "example.com"));
        assertFalse(same("https://example.com", "example.com:80"));
        assertFalse(same("http://example.com.evil.example", "example.com"));
        assertFalse(same("ftp://example.com", "example.com"));
        assertFalse(same("file://", "example.com"));
    }

    @Test
    void whatIsNoOriginAtAllIsRefused() {
        assertFalse(same("null", "example.com"));
        assertFalse(same("example.com", "example.com"));
        assertFalse(same("http://example.com/page", "example.com"));
        assertFalse(same("http://user@example.com", "example.com"));
        assertFalse(same("http://example.com, http://example.com", "example.com"), "two Origin headers");
        assertFalse(same("http://example.com", "example.com, example.com"), "two Host headers");
        assertFalse(same("http://example.com", "example.com:x"));
        assertFalse(same("http://example.com", null));
    }
}
