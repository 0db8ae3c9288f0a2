package io.guestloop.demo;

import io.guestloop.websocket.PerMessageDeflateConfig;
import io.guestloop.websocket.WebSocketConfig;

import java.time.Duration;

/**
 * Every limit that bounds what the demo's server holds in memory, in one place, and the bound they
 * give: {@link #heapBound(int, int)}, stated in the README and checked by a test that floods the
 * chat. Whatever a client sends, and however slowly it reads:
 *
 * <ul>
 *   <li>its input stops being read when what it said cannot be passed on (TCP then holds the peer
 *       back): at most one read buffer of its bytes waits, parsed, on the server;</li>
 *   <li>a chat line is taken in parts and only its first {@link #MAX_INPUT_BYTES} bytes are kept;
 *       an echo message is assembled up to {@link #MAX_MESSAGE} bytes;</li>
 *   <li>what is sent to it waits in a write queue of at most {@link #HIGH_WATER} bytes plus one
 *       frame (an echo: at most {@link #MAX_MESSAGE}); the echo pauses its input while the queue is
 *       full, so it loses no message; a chat line that does not fit is dropped for that member (a slow reader misses
 *       lines, it never makes the server queue for it);</li>
 *   <li>each service thread's room holds at most {@link #LINES_PER_ROOM} lines; a member whose
 *       line finds a room full is paused until that room drained to half, then its line goes on
 *       (nothing it said is lost).</li>
 * </ul>
 *
 * <p><b>Threading:</b> constants and pure static methods; any thread.
 */
final class ChatLimits {

    /** The service thread's shared read buffer: what a paused socket may hold back, at most. */
    static final int READ_BUFFER = 64 * 1024;
    /** The write queue refuses at this many bytes ... */
    static final int HIGH_WATER = 64 * 1024;
    /** ... and takes again once drained to this many. */
    static final int LOW_WATER = 32 * 1024;
    /** The largest frame payload and message accepted (1009 beyond). */
    static final int MAX_MESSAGE = 64 * 1024;
    /** The largest handshake head accepted (400 beyond). */
    static final int MAX_HANDSHAKE = 8 * 1024;
    /** Chat lines a room's mailbox holds; a member is paused while the room is full. */
    static final int LINES_PER_ROOM = 256;
    /** Characters of a chat line kept; the rest is cut and marked with an ellipsis. */
    static final int MAX_LINE = 500;
    /** Bytes of an incoming chat message kept (at most 3 per character of the first {@link #MAX_LINE}, with room for blanks). */
    static final int MAX_INPUT_BYTES = 2048;

    /**
     * The longest line the server builds, in characters: the text ({@link #MAX_LINE} characters and
     * an ellipsis, each escaped to at most 6) and the JSON around it (the sender's name, the thread's
     * name and the keys), rounded up.
     */
    static final int MAX_JSON_CHARS = 4096;
    /** One queued line in the heap: a string of {@link #MAX_JSON_CHARS} UTF-16 chars, its record and queue node. */
    static final int QUEUED_LINE_BYTES = 2 * MAX_JSON_CHARS + 128;
    /**
     * Everything else one connection may hold, generously: the connection, the session and its
     * parser, timers, the member, its place in the sets, a mailbox waiter and a retry.
     */
    static final int CONNECTION_OVERHEAD = 8 * 1024;

    /**
     * permessage-deflate with every browser that offers it (all do): the server compresses each
     * line on its own (server_no_context_takeover), so it keeps no Deflater per connection, one per
     * service thread is lent to each message; the browser keeps its window, so a connection owns one
     * Inflater (about 45 KiB of native memory, outside the heap bound below) from its first
     * compressed message on. Lines below 64 bytes go out plain.
     */
    static final PerMessageDeflateConfig DEFLATE = PerMessageDeflateConfig.on().withServerNoContextTakeover(true);

    private ChatLimits() {
    }

    /** The WebSocket limits of the demo's server. */
    static WebSocketConfig webSocketConfig() {
        return WebSocketConfig.builder()
                .maxFramePayload(MAX_MESSAGE)
                .maxMessageSize(MAX_MESSAGE)
                .maxHandshakeSize(MAX_HANDSHAKE)
                .pingInterval(Duration.ofSeconds(30))
                .idleTimeout(Duration.ofSeconds(90))
                .perMessageDeflate(DEFLATE)
                .build();
    }

    /**
     * The most the demo's server holds in its heap for its clients, in bytes, with {@code threads}
     * service threads and {@code connections} connections, whatever they send:
     *
     * <pre>
     *   threads x LINES_PER_ROOM x QUEUED_LINE_BYTES                 the rooms' mailboxes
     * + connections x ( READ_BUFFER                          bytes held back by a pause
     *                 + HIGH_WATER + MAX_MESSAGE             the write queue and the frame that crosses the mark
     *                 + max(MAX_MESSAGE,                     an echo message being assembled, or
     *                       MAX_INPUT_BYTES + QUEUED_LINE_BYTES)  a chat line's bytes and the line held for it
     *                 + MAX_HANDSHAKE + CONNECTION_OVERHEAD )
     * </pre>
     *
     * That is 2 MiB per service thread and 272 KiB per connection: with one thread and 1,000
     * connections, 268 MiB. The kernel's socket buffers and the threads' direct read buffers are
     * outside the heap and not counted.
     */
    static long heapBound(int threads, int connections) {
        long rooms = (long) threads * LINES_PER_ROOM * QUEUED_LINE_BYTES;
        long perConnection = READ_BUFFER
                + HIGH_WATER + MAX_MESSAGE
                + Math.max(MAX_MESSAGE, MAX_INPUT_BYTES + QUEUED_LINE_BYTES)
                + MAX_HANDSHAKE + CONNECTION_OVERHEAD;
        return rooms + (long) connections * perConnection;
    }
}
