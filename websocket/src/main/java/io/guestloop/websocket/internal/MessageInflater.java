package io.guestloop.websocket.internal;

import io.guestloop.websocket.CloseCode;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of {@code permessage-deflate} (RFC 7692 section 7.2.2), between a
 * {@link FrameParser} and the listener it would otherwise report to: the payload of a compressed
 * message is inflated as it arrives, the four bytes {@code 00 00 ff ff} the sender removed are
 * restored at the message's end, and the listener gets the inflated bytes exactly as the parser
 * would report plain ones. Uncompressed messages and control frames pass through untouched.
 *
 * <p>Inflating is bounded: output comes in chunks of at most {@link #CHUNK} bytes, each counted
 * before it is delivered, and never more than one byte past the message size limit is produced, so
 * a small frame that would inflate to gigabytes ends with 1009 once the limit is crossed. The
 * inflated text is checked as UTF-8 here (the parser cannot check compressed bytes). Data zlib
 * cannot inflate ends the connection with 1007 in a text message and 1002 in a binary one: RFC 7692
 * section 8 only says to fail the connection; 1007 says "inconsistent data" where a text's bytes
 * are concerned, and for binary data the fault is the peer's framing of the extension.
 *
 * <p>A {@linkplain io.guestloop.websocket.WebSocket#pause() pause} asked from a part's callback takes
 * effect once the compressed bytes in hand are inflated: a streaming endpoint may get the rest of
 * their output first (never more than the message limit), since zlib's state cannot be parked on
 * bytes the shared read buffer will overwrite.
 *
 * <p>Memory: with context takeover the peer's LZ77 window is kept between messages, so the
 * connection owns one {@code Inflater}, made at its first compressed message; without it an
 * inflater is borrowed from the service thread's {@link CodecPool} for each message. The output
 * chunk is one buffer per service thread.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread.
 */
final class MessageInflater implements FrameListener {

    /** The largest piece of inflated output delivered at once. */
    static final int CHUNK = 16 * 1024;
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final ThreadLocal<ByteBuffer> OUTPUT = ThreadLocal.withInitial(() -> ByteBuffer.allocate(CHUNK));

    private final FrameListener next;
    private final long maxMessageSize;
    private final boolean freshWindowEachMessage;
    private final CodecPool pool;
    private final Utf8Validator utf8 = new Utf8Validator();
    private Inflater own;
    private Inflater current;
    private boolean compressed;
    private boolean text;
    private long produced;
    /** Set once the message failed or the session ended: nothing more is inflated. */
    private boolean stopped;
    private boolean released;

    /**
     * @param next   gets every event, with compressed payload inflated
     * @param agreed the negotiated parameters
     * @param server true on the server side
     */
    MessageInflater(FrameListener next, PerMessageDeflate agreed, boolean server, long maxMessageSize) {
        this.next = next;
        this.maxMessageSize = maxMessageSize;
        this.freshWindowEachMessage = agreed.receivesWithoutContext(server);
        this.pool = CodecPool.join();
    }

    @Override
    public void onMessageStart(boolean isText) {
        compressed = false;
        next.onMessageStart(isText);
    }

    @Override
    public void onCompressedMessageStart(boolean isText) {
        compressed = true;
        text = isText;
        produced = 0;
        utf8.reset();
        if (freshWindowEachMessage) {
            current = pool.lendInflater();
        } else {
            if (own == null) {
                own = CodecPool.newInflater();
            }
            current = own;
        }
        next.onMessageStart(isText);
    }

    @Override
    public void onMessagePayload(ByteBuffer payload) {
        if (compressed) {
            if (!stopped) {
                inflate(payload);
            }
        } else {
            next.onMessagePayload(payload);
        }
    }

    @Override
    public void onMessageEnd() {
        if (!compressed) {
            next.onMessageEnd();
            return;
        }
        if (stopped || !inflate(ByteBuffer.wrap(TAIL))) {
            return;
        }
        if (text && !utf8.isComplete()) {
            fail(CloseCode.INVALID_PAYLOAD, "inflated text message ends inside a UTF-8 sequence");
            return;
        }
        endMessage();
        next.onMessageEnd();
    }

    /**
     * Inflates all of {@code in}, delivering the output chunk by chunk.
     *
     * @return false when the message failed or the session ended meanwhile
     */
    private boolean inflate(ByteBuffer in) {
        Inflater inflater = current;
        ByteBuffer out = OUTPUT.get();
        inflater.setInput(in);
        try {
            while (true) {
                // One byte more than the limit allows is enough to prove the message too big.
                out.clear().limit((int) Math.min(CHUNK, maxMessageSize - produced + 1));
                int n = inflater.inflate(out);
                produced += n;
                if (produced > maxMessageSize) {
                    fail(CloseCode.MESSAGE_TOO_BIG, "inflated message exceeds the limit of " + maxMessageSize + " bytes");
                    return false;
                }
                if (n > 0 && !deliver(out.flip())) {
                    return false;
                }
                if (inflater.finished()) {
                    // The peer ended its deflate stream (BFINAL): nothing after it belongs to the message.
                    in.position(in.limit());
                    return true;
                }
                if (inflater.needsDictionary()) {
                    fail(compressedDataCode(), "compressed data asks for a preset dictionary");
                    return false;
                }
                if (n == 0 && inflater.needsInput()) {
                    return true; // everything given was consumed and everything it holds was delivered
                }
                if (n == 0) {
                    fail(compressedDataCode(), "compressed data stalls the inflater");
                    return false;
                }
            }
        } catch (DataFormatException e) {
            fail(compressedDataCode(), "compressed data cannot be inflated: " + e.getMessage());
            return false;
        }
    }

    private boolean deliver(ByteBuffer chunk) {
        if (text) {
            int bad = utf8.feed(chunk, chunk.position(), chunk.limit());
            if (bad >= 0) {
                fail(CloseCode.INVALID_PAYLOAD, "inflated text message is not valid UTF-8 at byte " + (produced - chunk.limit() + bad));
                return false;
            }
        }
        next.onMessagePayload(chunk);
        if (!stopped) {
            next.onFeedEnd(); // the next chunk reuses the output buffer: a view of this one must be copied now
        }
        return !stopped; // the endpoint may have closed or aborted the socket from its callback
    }

    private int compressedDataCode() {
        return text ? CloseCode.INVALID_PAYLOAD : CloseCode.PROTOCOL_ERROR;
    }

    private void endMessage() {
        compressed = false;
        if (freshWindowEachMessage) {
            pool.giveBack(current);
        } else if (current.finished()) {
            current.reset(); // a stream the peer ended cannot be continued: the next message starts a new one
        }
        current = null;
    }

    private void fail(int code, String reason) {
        stopped = true;
        next.onProtocolError(code, reason);
    }

    /** The session ended: the codecs are ended or given back, and nothing more is inflated. Idempotent. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        stopped = true;
        if (current != null && current != own) {
            pool.giveBack(current);
        }
        current = null;
        if (own != null) {
            CodecPool.end(own);
            own = null;
        }
        pool.leave();
    }

    @Override
    public void onFeedEnd() {
        next.onFeedEnd();
    }

    @Override
    public void onPing(ByteBuffer payload) {
        next.onPing(payload);
    }

    @Override
    public void onPong(ByteBuffer payload) {
        next.onPong(payload);
    }

    @Override
    public void onClose(int code, String reason) {
        next.onClose(code, reason);
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        next.onProtocolError(closeCode, reason);
    }
}
