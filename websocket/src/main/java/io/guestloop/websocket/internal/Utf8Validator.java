package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629) while they arrive, in pieces split anywhere,
 * even inside a code point. Between code points it skips ASCII sixteen bytes per step (two long
 * reads whose high bits must all be clear) once a run is eight bytes long; the rest goes through a finite automaton with one
 * table lookup per byte. It never allocates. Overlong forms, UTF-16 surrogates
 * (U+D800-U+DFFF) and code points above U+10FFFF are rejected at the first byte that proves them
 * wrong, so a bad message fails as early as possible.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class Utf8Validator {

    private static final int ACCEPT = 0;
    private static final int REJECT = 8;
    /** The high bit of every byte of a long: a byte with it set is not ASCII. */
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /**
     * {@code TRANSITIONS[state << 8 | byte]} is the next state. States: 0 between code points;
     * 1, 2, 3 waiting for that many continuation bytes (80-BF); 4 after E0 (next A0-BF, no
     * overlong); 5 after ED (next 80-9F, no surrogate); 6 after F0 (next 90-BF, no overlong);
     * 7 after F4 (next 80-8F, nothing above U+10FFFF); 8 rejected, absorbing.
     */
    private static final byte[] TRANSITIONS = buildTransitions();

    private int state = ACCEPT;

    private static byte[] buildTransitions() {
        byte[] t = new byte[9 << 8];
        java.util.Arrays.fill(t, (byte) REJECT);
        for (int b = 0x00; b <= 0x7F; b++) {
            t[b] = ACCEPT;
        }
        fill(t, ACCEPT, 0xC2, 0xDF, 1);
        fill(t, ACCEPT, 0xE0, 0xE0, 4);
        fill(t, ACCEPT, 0xE1, 0xEC, 2);
        fill(t, ACCEPT, 0xED, 0xED, 5);
        fill(t, ACCEPT, 0xEE, 0xEF, 2);
        fill(t, ACCEPT, 0xF0, 0xF0, 6);
        fill(t, ACCEPT, 0xF1, 0xF3, 3);
        fill(t, ACCEPT, 0xF4, 0xF4, 7);
        fill(t, 1, 0x80, 0xBF, ACCEPT);
        fill(t, 2, 0x80, 0xBF, 1);
        fill(t, 3, 0x80, 0xBF, 2);
        fill(t, 4, 0xA0, 0xBF, 1);
        fill(t, 5, 0x80, 0x9F, 1);
        fill(t, 6, 0x90, 0xBF, 2);
        fill(t, 7, 0x80, 0x8F, 2);
        return t;
    }

    private static void fill(byte[] t, int state, int from, int to, int next) {
        for (int b = from; b <= to; b++) {
            t[state << 8 | b] = (byte) next;
        }
    }

    /**
     * Validates {@code buf[from, to)} (absolute indexes; position and limit are not touched) as the
     * continuation of everything fed since the last {@link #reset()}.
     *
     * @return -1 when every byte fits, else the absolute index of the first byte that cannot
     *         belong to well-formed UTF-8; the validator then stays failed until {@link #reset()}
     */
    public int feed(ByteBuffer buf, int from, int to) {
        int s = state;
        if (s == REJECT) {
            return from;
        }
        for (int i = from; i < to; i++) {
            int b = buf.get(i);
            if (s == ACCEPT && b >= 0) {
                // ASCII after a whole code point: most likely more of it; the word loop only then
                i = skipAscii(buf, i + 1, to);
                if (i == to) {
                    break;
                }
                b = buf.get(i);
            }
            s = TRANSITIONS[s << 8 | (b & 0xFF)];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
        }
        state = s;
        return -1;
    }

    /** The index of the first byte in {@code buf[i, to)} that is not ASCII, or {@code to}. */
    private static int skipAscii(ByteBuffer buf, int i, int to) {
        // A short run (the spaces and punctuation of non-Latin text) ends here, before any long read.
        for (int end = Math.min(to, i + 8); i < end; i++) {
            if (buf.get(i) < 0) {
                return i;
            }
        }
        for (int end = to - 15; i < end; i += 16) {
            if (((buf.getLong(i) | buf.getLong(i + 8)) & HIGH_BITS) != 0) {
                break; // the byte loop below finds which of these sixteen it is
            }
        }
        while (i < to && buf.get(i) >= 0) {
            i++;
        }
        return i;
    }

    /** As {@link #feed(ByteBuffer, int, int)} for {@code bytes[from, to)}, a byte at a time (for short texts: close reasons). */
    public int feed(byte[] bytes, int from, int to) {
        int s = state;
        if (s == REJECT) {
            return from;
        }
        for (int i = from; i < to; i++) {
            int b = bytes[i];
            if (s == ACCEPT && b >= 0) {
                continue;
            }
            s = TRANSITIONS[s << 8 | (b & 0xFF)];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
        }
        state = s;
        return -1;
    }

    /** True when everything fed so far is whole, valid UTF-8 (no code point left unfinished). */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /**
     * True when the bytes fed so far are valid but end inside a code point, so more must follow;
     * at the end of a message this means the text was truncated.
     */
    public boolean isIncomplete() {
        return state != ACCEPT && state != REJECT;
    }

    /** True once a bad byte was seen. */
    public boolean isFailed() {
        return state == REJECT;
    }

    /** Starts over for a new message. */
    public void reset() {
        state = ACCEPT;
    }
}
