package io.guestloop.websocket;

import java.util.zip.Deflater;

/**
 * Whether and how a WebSocket compresses its messages with {@code permessage-deflate} (RFC 7692),
 * as part of a {@link WebSocketConfig}. {@link #off()} is the default; {@link #on()} enables it with
 * context takeover in both directions (the best compression, and per connection one
 * {@code Deflater} and one {@code Inflater} of native memory once a compressed message went each
 * way: about 260 KiB and 45 KiB).
 *
 * <p><b>A server</b> accepts the first offer of the client it can honour and answers with the
 * parameters below added; it declines an offer with an unknown parameter, a bad value, or a
 * {@code server_max_window_bits} below 15 ({@code java.util.zip} always compresses with a 32 KiB
 * window, so it cannot promise a smaller one) and then tries the client's next offer, or answers
 * without the extension. A {@code client_max_window_bits} offer is accepted whatever its value: an
 * inflater with a 32 KiB window reads what any smaller window produced.
 *
 * <p><b>A client</b> offers {@code permessage-deflate} with the parameters below, never
 * {@code client_max_window_bits} (it could not keep a smaller window), and fails the handshake
 * when the answer holds anything it did not offer or a bad value.
 *
 * <p>Whatever was negotiated, control frames are never compressed, and messages shorter than
 * {@link #minMessageSize()} bytes are sent uncompressed (a fragmented message is compressed when
 * its first fragment is long enough). The configured {@link WebSocketConfig#maxMessageSize()}
 * applies to the inflated size, checked while inflating.
 *
 * <p><b>Threading:</b> an immutable value; any thread.
 *
 * @param enabled                 false: nothing is offered, offers are declined
 * @param serverNoContextTakeover the server compresses each message on its own: a server answers
 *                                {@code server_no_context_takeover}, a client offers it. The server
 *                                then keeps no {@code Deflater} per connection (one per service
 *                                thread is shared).
 * @param clientNoContextTakeover the client compresses each message on its own: a server answers
 *                                {@code client_no_context_takeover}, a client offers it. The server
 *                                then keeps no {@code Inflater} per connection.
 * @param minMessageSize          messages below this many bytes are sent uncompressed (0 or more)
 * @param level                   the {@link Deflater} level, 1 (fastest) to 9 (smallest)
 */
public record PerMessageDeflateConfig(boolean enabled, boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                      int minMessageSize, int level) {

    private static final PerMessageDeflateConfig OFF = new PerMessageDeflateConfig(false, false, false, 64, 6);
    private static final PerMessageDeflateConfig ON = new PerMessageDeflateConfig(true, false, false, 64, 6);

    /**
     * @throws IllegalArgumentException for a negative {@code minMessageSize} or a level outside 1-9
     */
    public PerMessageDeflateConfig {
        if (minMessageSize < 0) {
            throw new IllegalArgumentException("minMessageSize must not be negative, was " + minMessageSize);
        }
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("level must be between 1 and 9, was " + level);
        }
    }

    /** Not offered, offers declined: the default. */
    public static PerMessageDeflateConfig off() {
        return OFF;
    }

    /** Enabled with context takeover both ways, level 6, messages of 64 bytes and more compressed. */
    public static PerMessageDeflateConfig on() {
        return ON;
    }

    /** This value with {@link #serverNoContextTakeover()} set as given. */
    public PerMessageDeflateConfig withServerNoContextTakeover(boolean noTakeover) {
        return new PerMessageDeflateConfig(enabled, noTakeover, clientNoContextTakeover, minMessageSize, level);
    }

    /** This value with {@link #clientNoContextTakeover()} set as given. */
    public PerMessageDeflateConfig withClientNoContextTakeover(boolean noTakeover) {
        return new PerMessageDeflateConfig(enabled, serverNoContextTakeover, noTakeover, minMessageSize, level);
    }

    /** This value with {@link #minMessageSize()} set as given. */
    public PerMessageDeflateConfig withMinMessageSize(int bytes) {
        return new PerMessageDeflateConfig(enabled, serverNoContextTakeover, clientNoContextTakeover, bytes, level);
    }

    /** This value with {@link #level()} set as given. */
    public PerMessageDeflateConfig withLevel(int deflateLevel) {
        return new PerMessageDeflateConfig(enabled, serverNoContextTakeover, clientNoContextTakeover, minMessageSize, deflateLevel);
    }
}
