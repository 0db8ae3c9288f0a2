package io.guestloop.websocket.internal;

import io.guestloop.websocket.PerMessageDeflateConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7692 section 7.1, both roles: what a server accepts and answers, what a client offers and refuses. */
class DeflateNegotiationTest {

    private static final PerMessageDeflateConfig ON = PerMessageDeflateConfig.on();

    private static String answer(String offers) {
        PerMessageDeflate agreed = DeflateNegotiation.accept(offers, ON);
        return agreed == null ? null : agreed.header();
    }

    // ---- the server ----

    @ParameterizedTest(name = "offer ''{0}'' is answered ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "permessage-deflate | permessage-deflate",
            // Chromium's offer: the client could limit its window; our 15-bit inflater needs no limit
            "permessage-deflate; client_max_window_bits | permessage-deflate",
            "permessage-deflate; client_max_window_bits=9 | permessage-deflate",
            "permessage-deflate; client_max_window_bits=\"10\" | permessage-deflate",
            "permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover",
            // the client's client_no_context_takeover is a hint a server may ignore: a kept window compresses better
            "permessage-deflate; client_no_context_takeover | permessage-deflate",
            "permessage-deflate;server_no_context_takeover;client_no_context_takeover | permessage-deflate; server_no_context_takeover",
            "PerMessage-Deflate; Server_No_Context_Takeover | permessage-deflate; server_no_context_takeover",
            "permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_max_window_bits=15",
    })
    void acceptsAnOfferItCanHonour(String offer, String expected) {
        assertEquals(expected, answer(offer));
    }

    @ParameterizedTest(name = "declines ''{0}''")
    @ValueSource(strings = {
            "permessage-deflate; server_max_window_bits=10",     // java.util.zip cannot keep a smaller window
            "permessage-deflate; server_max_window_bits",        // the value is required
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; client_max_window_bits=08",     // no leading zero
            "permessage-deflate; client_max_window_bits=x",
            "permessage-deflate; server_no_context_takeover=1",  // takes no value
            "permessage-deflate; client_no_context_takeover=true",
            "permessage-deflate; mystery",                       // unknown parameter
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "x-webkit-deflate-frame",
            "permessage-deflate;;",                              // malformed: no offer is read at all
            "permessage-deflate; client_max_window_bits=\"10",
            "",
    })
    void declinesAnOfferItCannotHonour(String offer) {
        assertNull(answer(offer));
    }

    @Test
    void takesTheFirstOfferItCanHonourAmongSeveral() {
        assertEquals("permessage-deflate; server_no_context_takeover",
                answer("permessage-deflate; server_max_window_bits=10, permessage-deflate; server_no_context_takeover, permessage-deflate"));
        // two header fields arrive joined with ", " (HttpHeadParser): the same list
        assertEquals("permessage-deflate", answer("x-webkit-deflate-frame, permessage-deflate; mystery, , permessage-deflate"));
    }

    @Test
    void addsItsOwnNoContextTakeoverToAnyOffer() {
        PerMessageDeflateConfig config = ON.withServerNoContextTakeover(true).withClientNoContextTakeover(true);
        PerMessageDeflate agreed = DeflateNegotiation.accept("permessage-deflate; client_max_window_bits", config);
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", agreed.header());
        assertTrue(agreed.sendsWithoutContext(true));
        assertTrue(agreed.receivesWithoutContext(true));
    }

    @Test
    void declinesEverythingWhenOff() {
        assertNull(DeflateNegotiation.accept("permessage-deflate", PerMessageDeflateConfig.off()));
        assertNull(DeflateNegotiation.accept(null, ON));
    }

    // ---- the client ----

    @Test
    void offersWhatItsConfigSays() {
        assertEquals("permessage-deflate", DeflateNegotiation.offer(ON));
        assertEquals("permessage-deflate; client_no_context_takeover; server_no_context_takeover",
                DeflateNegotiation.offer(ON.withClientNoContextTakeover(true).withServerNoContextTakeover(true)));
        assertNull(DeflateNegotiation.offer(PerMessageDeflateConfig.off()));
    }

    @Test
    void acceptsEveryAnswerTheRfcAllows() throws Exception {
        assertNull(DeflateNegotiation.verify(null, ON), "a server that declined: no compression");
        PerMessageDeflate plain = DeflateNegotiation.verify("permessage-deflate", ON);
        assertFalse(plain.sendsWithoutContext(false));
        assertFalse(plain.receivesWithoutContext(false));
        PerMessageDeflate limited = DeflateNegotiation.verify(
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10", ON);
        assertTrue(limited.receivesWithoutContext(false), "the server resets its window each message");
        assertTrue(limited.sendsWithoutContext(false), "a server may ask client_no_context_takeover unasked");
        assertEquals(10, limited.serverMaxWindowBits(), "any server window: our 15-bit inflater reads it");
        assertTrue(DeflateNegotiation.verify("permessage-deflate", ON.withClientNoContextTakeover(true)).sendsWithoutContext(false),
                "what we offered we keep to, even when the server does not repeat it");
    }

    @ParameterizedTest(name = "fails on the answer ''{0}''")
    @ValueSource(strings = {
            "permessage-deflate; client_max_window_bits=10",  // never offered
            "permessage-deflate; client_max_window_bits",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_no_context_takeover=yes",
            "permessage-deflate; mystery",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate, permessage-deflate",
            "x-webkit-deflate-frame",
            "permessage-deflate;",
    })
    void failsOnAnAnswerThatWasNotOffered(String header) {
        MalformedHttpException e = assertThrows(MalformedHttpException.class, () -> DeflateNegotiation.verify(header, ON));
        assertTrue(e.getMessage().contains("permessage-deflate") || e.getMessage().contains("Sec-WebSocket-Extensions"), e.getMessage());
    }

    @Test
    void failsWhenTheServerIgnoresTheNoContextTakeoverItWasAskedFor() {
        MalformedHttpException e = assertThrows(MalformedHttpException.class,
                () -> DeflateNegotiation.verify("permessage-deflate", ON.withServerNoContextTakeover(true)));
        assertTrue(e.getMessage().contains("server_no_context_takeover"), e.getMessage());
    }

    @Test
    void failsOnAnyExtensionWhenNothingWasOffered() {
        assertThrows(MalformedHttpException.class, () -> DeflateNegotiation.verify("permessage-deflate", PerMessageDeflateConfig.off()));
    }
}
