package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes text as UTF-8 straight into a frame being built, with no intermediate {@code byte[]}:
 * the characters are copied into a reused {@code char[]} (one bulk {@code getChars} for a
 * {@code String} or {@code StringBuilder}) and a reused {@link CharsetEncoder} writes their bytes
 * into the destination. An unpaired surrogate becomes {@code '?'}, as {@code String.getBytes} does.
 *
 * <p><b>Threading:</b> not thread-safe; one per service thread.
 */
final class TextEncoder {

    /** The most UTF-8 bytes one UTF-16 char can take (a surrogate pair: 4 bytes for 2 chars). */
    static final int MAX_BYTES_PER_CHAR = 3;
    /** The largest char array kept between calls. */
    private static final int RETAINED_CHARS = 64 * 1024;

    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private char[] chars = new char[0];
    private CharBuffer charView = CharBuffer.wrap(chars);

    /** The most bytes {@code text} can take in UTF-8. */
    static long maxBytes(CharSequence text) {
        return (long) text.length() * MAX_BYTES_PER_CHAR;
    }

    /**
     * Writes {@code text} in UTF-8 into {@code dst} at its position, advancing it.
     *
     * @throws IllegalArgumentException when {@code dst} has less room than {@link #maxBytes} and the text does not fit
     */
    void encode(CharSequence text, ByteBuffer dst) {
        int n = text.length();
        CharBuffer in = chars(n);
        char[] c = in.array();
        if (text instanceof String s) {
            s.getChars(0, n, c, 0);
        } else if (text instanceof StringBuilder b) {
            b.getChars(0, n, c, 0);
        } else {
            for (int i = 0; i < n; i++) {
                c[i] = text.charAt(i);
            }
        }
        encoder.reset();
        CoderResult result = encoder.encode(in, dst, true);
        if (!result.isUnderflow() || !encoder.flush(dst).isUnderflow()) {
            throw new IllegalArgumentException("text of " + n + " chars does not fit in " + dst.remaining() + " bytes");
        }
    }

    /** A buffer over a char array of at least {@code n} chars, cleared and limited to {@code n}. */
    private CharBuffer chars(int n) {
        if (chars.length >= n) {
            return charView.clear().limit(n);
        }
        char[] bigger = new char[Math.max(n, 256)];
        CharBuffer view = CharBuffer.wrap(bigger);
        if (n <= RETAINED_CHARS) {
            chars = bigger;
            charView = view;
        }
        return view.limit(n);
    }
}
