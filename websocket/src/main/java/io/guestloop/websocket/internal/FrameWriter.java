package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.IntSupplier;

/**
 * Encodes RFC 6455 frames: the smallest header form for the payload length (7, 16 or 64 bits) and,
 * for the client role, a fresh masking key per frame applied while the payload is copied (the
 * caller's payload is never modified).
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class FrameWriter {

    /** Unpredictable keys, as section 10.3 requires of a client; shared because seeding is slow. */
    private static final SecureRandom KEYS = new SecureRandom();

    private final boolean mask;
    private final IntSupplier maskKeys;

    /**
     * @param mask true for a client (every frame masked), false for a server
     */
    public FrameWriter(boolean mask) {
        this(mask, KEYS::nextInt);
    }

    /** As {@link #FrameWriter(boolean)} with the masking keys given (for tests). */
    public FrameWriter(boolean mask, IntSupplier maskKeys) {
        this.mask = mask;
        this.maskKeys = maskKeys;
    }

    /** True for the client role: every frame this writer makes is masked. */
    public boolean masks() {
        return mask;
    }

    /**
     * Writes the header of an unmasked frame (the server role) into {@code dst}, for a payload that
     * then goes out as it is, with no copy.
     *
     * @throws IllegalStateException when this writer masks: a masked payload must be copied by
     *         {@link #write(ByteBuffer, boolean, int, ByteBuffer)}
     */
    public void writeHeader(ByteBuffer dst, boolean fin, int opcode, int payloadLength) {
        if (mask) {
            throw new IllegalStateException("a masking writer cannot send the payload apart from its header");
        }
        writeHeader(dst, fin, opcode, payloadLength, false);
    }

    /** The header size of a frame with this payload length, masked or not. */
    public static int headerSize(long payloadLength, boolean masked) {
        int size = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /** The whole size of a frame this writer makes for a payload of {@code payloadLength} bytes. */
    public int frameSize(int payloadLength) {
        return headerSize(payloadLength, mask) + payloadLength;
    }

    /**
     * Writes one frame into {@code dst} at its position: the header, then the remaining bytes of
     * {@code payload} (masked when this writer masks). {@code payload}'s position advances to its
     * limit; its bytes are not changed.
     *
     * @throws java.nio.BufferOverflowException when {@code dst} has less room than
     *         {@link #frameSize(int)}
     */
    public void write(ByteBuffer dst, boolean fin, int opcode, ByteBuffer payload) {
        int length = payload.remaining();
        int key = writeHeader(dst, fin, opcode, length, mask);
        int start = dst.position();
        dst.put(payload);
        if (mask) {
            Masking.apply(dst, start, start + length, key, 0);
        }
    }

    /**
     * Frames a payload already in {@code frame} at {@code payloadStart} (absolute index), of
     * {@code length} bytes: writes the header so that it ends right before the payload, masks the
     * payload in place when this writer masks, and returns the index where the frame begins. Only
     * the bytes in front of the payload are written; position and limit are left where they were.
     *
     * @throws IllegalArgumentException when fewer than {@link #headerSize} bytes lie before the payload
     */
    public int writeHeaderBefore(ByteBuffer frame, int payloadStart, boolean fin, int opcode, int length) {
        int start = payloadStart - headerSize(length, mask);
        if (start < 0) {
            throw new IllegalArgumentException("no room for a " + headerSize(length, mask) + "-byte header before index " + payloadStart);
        }
        int position = frame.position();
        int key = writeHeader(frame.position(start), fin, opcode, length, mask);
        frame.position(position);
        if (mask) {
            Masking.apply(frame, payloadStart, payloadStart + length, key, 0);
        }
        return start;
    }

    /** Writes the header and returns the masking key it holds (0 when unmasked). */
    private int writeHeader(ByteBuffer dst, boolean fin, int opcode, int length, boolean masked) {
        dst.put((byte) ((fin ? 0x80 : 0) | opcode));
        int maskBit = masked ? 0x80 : 0;
        if (length < 126) {
            dst.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            dst.put((byte) (maskBit | 126));
            dst.putShort((short) length);
        } else {
            dst.put((byte) (maskBit | 127));
            dst.putLong(length);
        }
        if (!masked) {
            return 0;
        }
        int key = maskKeys.getAsInt();
        dst.putInt(key);
        return key;
    }

    /**
     * The payload of a close frame: the code in two bytes and the reason in UTF-8, cut at a code
     * point boundary so that the whole fits the 125 bytes of a control frame.
     */
    public static ByteBuffer closePayload(int code, String reason) {
        byte[] utf8 = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(utf8.length, 123);
        while (length < utf8.length && length > 0 && (utf8[length] & 0xC0) == 0x80) {
            length--;
        }
        ByteBuffer payload = ByteBuffer.allocate(2 + length);
        payload.putShort((short) code).put(utf8, 0, length).flip();
        return payload;
    }
}
