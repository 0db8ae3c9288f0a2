package io.guestloop.websocket.internal;

import io.guestloop.websocket.CloseCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * An incremental RFC 6455 frame parser: feed it bytes as they arrive, split anywhere (one byte at a
 * time works), and it reports messages, control frames and protocol errors to a
 * {@link FrameListener}. It enforces every rule of the base protocol on the way in: reserved bits
 * and opcodes, continuation order, control frames that are fragmented or longer than 125 bytes,
 * masking by role (a server requires masked frames, a client refuses them), close payloads, UTF-8
 * of text and close reasons (1007 at the first bad byte) and the frame and message size limits
 * (1009, decided from the header before any payload is read). After a close frame or an error it
 * consumes nothing more.
 *
 * <p>Payload is unmasked in place in the buffer fed to it (which must be writable) and handed to
 * the listener as a view of that buffer: no copy and no allocation per frame. Only control-frame
 * payloads are copied, into a fixed 125-byte array, because they may arrive split.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class FrameParser {

    private static final int HEADER_FIRST = 0;
    private static final int HEADER_SECOND = 1;
    private static final int EXTENDED_LENGTH = 2;
    private static final int MASK_KEY = 3;
    private static final int PAYLOAD = 4;
    private static final int CLOSED = 5;
    private static final int FAILED = 6;

    private final boolean requireMask;
    private final long maxFramePayload;
    private final long maxMessageSize;
    private final FrameListener listener;
    private final Utf8Validator textValidator = new Utf8Validator();
    private final Utf8Validator reasonValidator = new Utf8Validator();
    private final byte[] control = new byte[125];
    private final ByteBuffer controlView = ByteBuffer.wrap(control);
    /**
     * The last direct buffer fed that was not in the platform's byte order (the core's read buffer is big
     * endian), and a native-order view of it, made once per such buffer: through the view the
     * eight-byte unmasking steps swap no bytes, which on JDK 17 makes a 16 KiB payload four times
     * cheaper to unmask.
     */
    private ByteBuffer unmaskSource;
    private ByteBuffer unmaskView;

    private int state = HEADER_FIRST;
    /** Set by {@link #suspend()}: the feed in progress returns after the callback that asked. */
    private boolean suspended;
    private boolean fin;
    private int opcode;
    private boolean masked;
    private int bytesToCollect;
    private long collected;
    private int maskKey;
    private long payloadLength;
    private long payloadRead;
    private boolean inMessage;
    private boolean messageIsText;
    private long messageLength;
    /** permessage-deflate was negotiated: RSV1 may mark the first frame of a data message. */
    private boolean compressionAllowed;
    private boolean frameCompressed;
    /** The current message is compressed: its UTF-8 is checked after inflating, not here. */
    private boolean messageCompressed;

    /**
     * @param server          true for the server side (frames must be masked), false for a client
     *                        (frames must not be)
     * @param maxFramePayload the largest frame payload accepted; larger is 1009
     * @param maxMessageSize  the largest message (all fragments) accepted; larger is 1009
     * @param listener        receives what is parsed
     */
    public FrameParser(boolean server, long maxFramePayload, long maxMessageSize, FrameListener listener) {
        this.requireMask = server;
        this.maxFramePayload = maxFramePayload;
        this.maxMessageSize = maxMessageSize;
        this.listener = listener;
    }

    /**
     * Parses what {@code in} holds between position and limit, advancing the position past what it
     * consumed: everything, unless a close frame or an error ends the stream, after which nothing
     * more is consumed, or the listener {@linkplain #suspend() suspends} parsing, after which the
     * rest stays in {@code in} for a later feed. A frame whose last payload byte came before a
     * suspension is completed by the next feed, even an empty one.
     *
     * @return false once the stream has ended (close frame received or protocol error reported)
     */
    public boolean feed(ByteBuffer in) {
        while (state < CLOSED && !suspended) {
            if (state == PAYLOAD && payloadRead == payloadLength) {
                completeFrame();
            } else if (!in.hasRemaining()) {
                break;
            } else if (state == PAYLOAD) {
                readPayload(in);
            } else {
                readHeaderByte(in.get() & 0xFF);
            }
        }
        listener.onFeedEnd();
        return state < CLOSED;
    }

    /**
     * Stops parsing after the listener callback in progress (or before the next feed): nothing more
     * is reported until {@link #unsuspend()}, and the bytes not yet consumed stay in the buffer.
     */
    public void suspend() {
        suspended = true;
    }

    /** Undoes {@link #suspend()}: a feed in progress goes on, a later one parses again. */
    public void unsuspend() {
        suspended = false;
    }

    /**
     * Accepts RSV1 on the first frame of a data message (permessage-deflate, RFC 7692 section 6):
     * such a message is reported with {@link FrameListener#onCompressedMessageStart} and its payload
     * is not checked as UTF-8 here. RSV1 on any other frame is still 1002.
     */
    public void allowCompressedMessages() {
        compressionAllowed = true;
    }

    /** True once a close frame was received or a protocol error reported. */
    public boolean isDone() {
        return state >= CLOSED;
    }

    /**
     * Ends parsing now, from inside a listener callback or between feeds: the current
     * {@link #feed} returns at once and later ones consume nothing.
     */
    public void stop() {
        if (state < CLOSED) {
            state = CLOSED;
        }
    }

    /** Bytes of the extended length being collected: 2 or 8. */
    private int extendedForm;

    private void readHeaderByte(int b) {
        switch (state) {
            case HEADER_FIRST -> firstHeaderByte(b);
            case HEADER_SECOND -> secondHeaderByte(b);
            case EXTENDED_LENGTH -> {
                collected = collected << 8 | b;
                if (--bytesToCollect == 0) {
                    if (collected < 0) {
                        fail(CloseCode.PROTOCOL_ERROR, "64-bit payload length has its most significant bit set");
                        return;
                    }
                    // RFC 6455 5.2: "the minimal number of bytes MUST be used to encode the length".
                    if (collected < (extendedForm == 2 ? 126 : 65536)) {
                        fail(CloseCode.PROTOCOL_ERROR, "payload length " + collected + " sent in the " + (8 * extendedForm)
                                + "-bit form; the shortest form must be used");
                        return;
                    }
                    payloadLength = collected;
                    lengthKnown();
                }
            }
            case MASK_KEY -> {
                collected = collected << 8 | b;
                if (--bytesToCollect == 0) {
                    maskKey = (int) collected;
                    headerComplete();
                }
            }
            default -> throw new IllegalStateException("no header byte expected in state " + state);
        }
    }

    private void firstHeaderByte(int b) {
        fin = (b & 0x80) != 0;
        opcode = b & 0x0F;
        frameCompressed = (b & 0x70) == 0x40 && compressionAllowed && (opcode == Opcode.TEXT || opcode == Opcode.BINARY);
        if ((b & 0x70) != 0 && !frameCompressed) {
            fail(CloseCode.PROTOCOL_ERROR, "reserved bits set (RSV=" + ((b & 0x70) >>> 4) + ") but "
                    + (compressionAllowed ? "permessage-deflate allows only RSV1, on a message's first frame" : "no extension was negotiated"));
        } else if (!Opcode.isDefined(opcode)) {
            fail(CloseCode.PROTOCOL_ERROR, "reserved opcode 0x" + Integer.toHexString(opcode));
        } else if (Opcode.isControl(opcode)) {
            if (!fin) {
                fail(CloseCode.PROTOCOL_ERROR, "control frame (opcode 0x" + Integer.toHexString(opcode) + ") is fragmented");
                return;
            }
            state = HEADER_SECOND;
        } else if (opcode == Opcode.CONTINUATION && !inMessage) {
            fail(CloseCode.PROTOCOL_ERROR, "continuation frame with no message to continue");
        } else if (opcode != Opcode.CONTINUATION && inMessage) {
            fail(CloseCode.PROTOCOL_ERROR, "new data frame while a fragmented message is unfinished");
        } else {
            state = HEADER_SECOND;
        }
    }

    private void secondHeaderByte(int b) {
        masked = (b & 0x80) != 0;
        if (masked != requireMask) {
            fail(CloseCode.PROTOCOL_ERROR, requireMask ? "client frame is not masked" : "server frame is masked");
            return;
        }
        int length = b & 0x7F;
        if (length < 126) {
            payloadLength = length;
            lengthKnown();
        } else if (Opcode.isControl(opcode)) {
            fail(CloseCode.PROTOCOL_ERROR, "control frame payload longer than 125 bytes");
        } else {
            bytesToCollect = extendedForm = length == 126 ? 2 : 8;
            collected = 0;
            state = EXTENDED_LENGTH;
        }
    }

    private void lengthKnown() {
        if (payloadLength > maxFramePayload) {
            fail(CloseCode.MESSAGE_TOO_BIG, "frame payload " + payloadLength + " bytes exceeds limit " + maxFramePayload);
            return;
        }
        if (!Opcode.isControl(opcode)) {
            long total = (opcode == Opcode.CONTINUATION ? messageLength : 0) + payloadLength;
            if (total > maxMessageSize) {
                fail(CloseCode.MESSAGE_TOO_BIG, "message of at least " + total + " bytes exceeds limit " + maxMessageSize);
                return;
            }
        }
        if (masked) {
            bytesToCollect = 4;
            collected = 0;
            state = MASK_KEY;
        } else {
            headerComplete();
        }
    }

    private void headerComplete() {
        payloadRead = 0;
        state = PAYLOAD;
        if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
            inMessage = true;
            messageIsText = opcode == Opcode.TEXT;
            messageLength = 0;
            textValidator.reset();
            messageCompressed = frameCompressed;
            if (messageCompressed) {
                listener.onCompressedMessageStart(messageIsText);
            } else {
                listener.onMessageStart(messageIsText);
            }
        }
        if (!Opcode.isControl(opcode)) {
            messageLength += payloadLength;
        }
    }

    private void readPayload(ByteBuffer in) {
        int start = in.position();
        int n = (int) Math.min(payloadLength - payloadRead, in.remaining());
        int end = start + n;
        // Unmasking tells for free whether the bytes are all ASCII: between code points such text is valid as it is.
        boolean ascii = masked && Masking.apply(nativeOrder(in), start, end, maskKey, payloadRead);
        if (Opcode.isControl(opcode)) {
            in.get(control, (int) payloadRead, n);
            payloadRead += n;
            return;
        }
        if (messageIsText && !messageCompressed && !(ascii && textValidator.isComplete())) {
            int bad = textValidator.feed(in, start, end);
            if (bad >= 0) {
                long at = messageLength - payloadLength + payloadRead + (bad - start);
                fail(CloseCode.INVALID_PAYLOAD, "text message is not valid UTF-8 at byte " + at);
                return;
            }
        }
        payloadRead += n;
        int limit = in.limit();
        in.limit(end);
        try {
            listener.onMessagePayload(in);
        } finally {
            in.limit(limit);
            in.position(end);
        }
    }

    /**
     * {@code in}, or a view of its whole content in the platform's byte order (indexes are the same).
     * Only a direct buffer gets the view: a read buffer lent by the core, fed again and again. A heap
     * buffer (a paused connection's held copy) is unmasked as it is, so that no view keeps it alive
     * after it was dropped.
     */
    private ByteBuffer nativeOrder(ByteBuffer in) {
        if (in.order() == ByteOrder.nativeOrder() || !in.isDirect()) {
            return in;
        }
        if (unmaskSource != in) {
            unmaskView = in.duplicate().order(ByteOrder.nativeOrder());
            unmaskSource = in;
        }
        return unmaskView.clear();
    }

    private void completeFrame() {
        state = HEADER_FIRST;
        switch (opcode) {
            case Opcode.PING -> listener.onPing(controlPayload());
            case Opcode.PONG -> listener.onPong(controlPayload());
            case Opcode.CLOSE -> completeClose();
            default -> {
                if (fin) {
                    if (messageIsText && !messageCompressed && !textValidator.isComplete()) {
                        fail(CloseCode.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
                        return;
                    }
                    inMessage = false;
                    listener.onMessageEnd();
                }
            }
        }
    }

    private ByteBuffer controlPayload() {
        controlView.clear().limit((int) payloadLength);
        return controlView;
    }

    private void completeClose() {
        int length = (int) payloadLength;
        if (length == 0) {
            state = CLOSED;
            listener.onClose(CloseCode.NO_STATUS_RECEIVED, "");
            return;
        }
        if (length == 1) {
            fail(CloseCode.PROTOCOL_ERROR, "close frame payload of 1 byte (a status code needs 2)");
            return;
        }
        int code = (control[0] & 0xFF) << 8 | (control[1] & 0xFF);
        if (!CloseCode.isValidOnWire(code)) {
            fail(CloseCode.PROTOCOL_ERROR, "close code " + code + " is not allowed on the wire");
            return;
        }
        reasonValidator.reset();
        if (reasonValidator.feed(control, 2, length) >= 0 || !reasonValidator.isComplete()) {
            fail(CloseCode.INVALID_PAYLOAD, "close reason is not valid UTF-8");
            return;
        }
        state = CLOSED;
        listener.onClose(code, new String(control, 2, length - 2, StandardCharsets.UTF_8));
    }

    private void fail(int code, String reason) {
        state = FAILED;
        listener.onProtocolError(code, reason);
    }
}
