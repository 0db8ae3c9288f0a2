package io.guestloop.websocket.internal;

/**
 * The {@code permessage-deflate} parameters both ends agreed on in the opening handshake (RFC 7692
 * section 7.1), seen the same way by the server and the client, with the local settings that go
 * with them.
 *
 * <p><b>Threading:</b> an immutable value; any thread.
 *
 * @param serverNoContextTakeover the server compresses each message with a fresh LZ77 window
 * @param clientNoContextTakeover the client compresses each message with a fresh LZ77 window
 * @param serverMaxWindowBits     the {@code server_max_window_bits} of the answer, 0 when absent
 *                                (our side always inflates with a 15-bit window, which reads any
 *                                smaller one)
 * @param level                   the {@code Deflater} level this side compresses with
 * @param minMessageSize          messages shorter than this are sent uncompressed
 */
public record PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int level, int minMessageSize) {

    /** The extension's registered name. */
    static final String NAME = "permessage-deflate";

    /** True when the side ({@code server} or not) compresses each message on its own. */
    boolean sendsWithoutContext(boolean server) {
        return server ? serverNoContextTakeover : clientNoContextTakeover;
    }

    /** True when the peer of the side ({@code server} or not) compresses each message on its own. */
    boolean receivesWithoutContext(boolean server) {
        return server ? clientNoContextTakeover : serverNoContextTakeover;
    }

    /** The element of {@code Sec-WebSocket-Extensions} that states this agreement. */
    String header() {
        StringBuilder sb = new StringBuilder(NAME);
        if (serverNoContextTakeover) {
            sb.append("; server_no_context_takeover");
        }
        if (clientNoContextTakeover) {
            sb.append("; client_no_context_takeover");
        }
        if (serverMaxWindowBits != 0) {
            sb.append("; server_max_window_bits=").append(serverMaxWindowBits);
        }
        return sb.toString();
    }
}
