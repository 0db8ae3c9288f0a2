package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which hosts are addresses already (parsed, never looked up) and which are names. */
class HostLookupTest {

    @Test
    void dottedQuadsAndBracketedIpv6AreLiterals() {
        assertArrayEquals(new byte[] {127, 0, 0, 1}, HostLookup.literal("127.0.0.1").getAddress());
        assertArrayEquals(new byte[] {10, (byte) 255, 0, 7}, HostLookup.literal("10.255.0.7").getAddress());
        InetAddress v6 = HostLookup.literal("[::1]");
        assertEquals(16, v6.getAddress().length);
        assertEquals(1, v6.getAddress()[15]);
    }

    @Test
    void namesAndAlmostAddressesAreLeftToTheLookup() {
        assertNull(HostLookup.literal("localhost"));
        assertNull(HostLookup.literal("example.com"));
        assertNull(HostLookup.literal("256.1.1.1"));
        assertNull(HostLookup.literal("1.2.3"));
        assertNull(HostLookup.literal("1.2.3.4.5"));
        assertNull(HostLookup.literal("1.2.3.x"));
        assertNull(HostLookup.literal("1..3.4"));
    }

    @Test
    void aBracketedHostThatIsNotIpv6IsAnError() {
        assertThrows(IllegalArgumentException.class, () -> HostLookup.literal("[not-v6]"));
    }
}
