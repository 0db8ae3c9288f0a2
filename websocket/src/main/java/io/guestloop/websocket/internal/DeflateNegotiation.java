package io.guestloop.websocket.internal;

import io.guestloop.websocket.PerMessageDeflateConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code permessage-deflate} negotiation of RFC 7692 section 7.1, for both roles: the server
 * picks the first offer it can honour ({@link #accept}), the client builds its offer
 * ({@link #offer}) and checks the server's answer ({@link #verify}). What {@code java.util.zip}
 * cannot do decides two rules: its {@code Deflater} always uses a 15-bit window, so a server
 * declines an offer that asks {@code server_max_window_bits} below 15, and a client never offers
 * {@code client_max_window_bits}; its {@code Inflater} with a 15-bit window reads any smaller
 * window, so every {@code client_max_window_bits} offer and every {@code server_max_window_bits}
 * answer is fine.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class DeflateNegotiation {

    /** "A decimal integer value without leading zeroes between 8 to 15, inclusive" (section 7.1.2). */
    private static final Pattern WINDOW_BITS = Pattern.compile("[89]|1[0-5]");

    private DeflateNegotiation() {
    }

    /**
     * The server's choice among the client's offers ({@code header}, may be null): the first
     * {@code permessage-deflate} offer whose every parameter is known and valid, with the server's
     * own no-context-takeover settings added (a client's {@code client_no_context_takeover} is
     * taken as the hint RFC 7692 makes it, not repeated); null when compression is off, nothing was offered, the
     * header is malformed, or no offer can be honoured (the handshake then goes on without it).
     */
    static PerMessageDeflate accept(String header, PerMessageDeflateConfig config) {
        if (header == null || !config.enabled()) {
            return null;
        }
        List<ExtensionHeader.Extension> offers;
        try {
            offers = ExtensionHeader.parse(header);
        } catch (MalformedHttpException e) {
            return null;
        }
        for (ExtensionHeader.Extension offer : offers) {
            if (offer.name().equalsIgnoreCase(PerMessageDeflate.NAME)) {
                PerMessageDeflate agreed = acceptOffer(offer.params(), config);
                if (agreed != null) {
                    return agreed;
                }
            }
        }
        return null;
    }

    private static PerMessageDeflate acceptOffer(List<ExtensionHeader.Param> params, PerMessageDeflateConfig config) {
        boolean serverNoTakeover = config.serverNoContextTakeover();
        boolean clientNoTakeover = config.clientNoContextTakeover();
        int serverWindow = 0;
        Set<String> seen = new HashSet<>();
        for (ExtensionHeader.Param p : params) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                return null; // section 7: an offer with a parameter twice is declined
            }
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (p.value() != null) {
                        return null;
                    }
                    serverNoTakeover = true;
                }
                case "client_no_context_takeover" -> {
                    // Only a hint that the client could (section 7.1.1.2): the window it keeps
                    // compresses better, so only our own config asks it to reset.
                    if (p.value() != null) {
                        return null;
                    }
                }
                case "server_max_window_bits" -> {
                    // We cannot compress with a window smaller than 15 bits: decline, as section 7.1.2.1 lets us.
                    if (p.value() == null || !p.value().equals("15")) {
                        return null;
                    }
                    serverWindow = 15;
                }
                case "client_max_window_bits" -> {
                    // Any window the client keeps is one our 15-bit inflater reads; no answer needed.
                    if (p.value() != null && !WINDOW_BITS.matcher(p.value()).matches()) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return new PerMessageDeflate(serverNoTakeover, clientNoTakeover, serverWindow, config.level(), config.minMessageSize());
    }

    /** The client's offer, or null when compression is off. */
    static String offer(PerMessageDeflateConfig config) {
        if (!config.enabled()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(PerMessageDeflate.NAME);
        if (config.clientNoContextTakeover()) {
            sb.append("; client_no_context_takeover");
        }
        if (config.serverNoContextTakeover()) {
            sb.append("; server_no_context_takeover");
        }
        return sb.toString();
    }

    /**
     * Checks the server's answer to {@link #offer} ({@code header}, null when it sent none).
     *
     * @return what was agreed, or null when the server declined (or nothing was offered and nothing answered)
     * @throws MalformedHttpException when the answer holds what was not offered, a parameter twice or a
     *                                bad value, or leaves out the {@code server_no_context_takeover} we
     *                                asked for: RFC 7692 section 5 says the client then fails the connection
     */
    static PerMessageDeflate verify(String header, PerMessageDeflateConfig config) throws MalformedHttpException {
        if (header == null) {
            return null;
        }
        if (!config.enabled()) {
            throw new MalformedHttpException("server accepted extensions that were not offered: " + header);
        }
        List<ExtensionHeader.Extension> answer = ExtensionHeader.parse(header);
        if (answer.size() != 1 || !answer.get(0).name().equalsIgnoreCase(PerMessageDeflate.NAME)) {
            throw new MalformedHttpException("server answered extensions '" + HandshakeRequest.abbreviate(header)
                    + "'; only one " + PerMessageDeflate.NAME + " was offered");
        }
        boolean serverNoTakeover = false;
        boolean clientNoTakeover = config.clientNoContextTakeover();
        int serverWindow = 0;
        Set<String> seen = new HashSet<>();
        for (ExtensionHeader.Param p : answer.get(0).params()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw bad(header, "names " + p.name() + " twice");
            }
            switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (p.value() != null) {
                        throw bad(header, "gives " + p.name() + " a value; it takes none");
                    }
                    if (name.startsWith("server")) {
                        serverNoTakeover = true;
                    } else {
                        clientNoTakeover = true; // the server may ask it even when we did not offer it
                    }
                }
                case "server_max_window_bits" -> {
                    if (p.value() == null || !WINDOW_BITS.matcher(p.value()).matches()) {
                        throw bad(header, "has server_max_window_bits=" + p.value() + "; it must be 8 to 15");
                    }
                    serverWindow = Integer.parseInt(p.value());
                }
                case "client_max_window_bits" -> throw bad(header, "limits client_max_window_bits, which was not offered"
                        + " (java.util.zip cannot compress with a window below 15 bits)");
                default -> throw bad(header, "has the parameter " + p.name() + ", which RFC 7692 does not define");
            }
        }
        if (config.serverNoContextTakeover() && !serverNoTakeover) {
            throw bad(header, "lacks the server_no_context_takeover that was offered");
        }
        return new PerMessageDeflate(serverNoTakeover, clientNoTakeover, serverWindow, config.level(), config.minMessageSize());
    }

    private static MalformedHttpException bad(String header, String what) {
        return new MalformedHttpException("server's permessage-deflate answer '" + HandshakeRequest.abbreviate(header) + "' " + what);
    }
}
