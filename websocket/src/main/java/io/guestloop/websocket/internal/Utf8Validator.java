package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629) while they arrive, in pieces split anywhere,
 * even inside a code point. Between code points it checks eight bytes at a time with masks on a
 * {@code long} (SWAR): which bytes are lead and continuation bytes, whether every sequence gets
 * exactly the continuation bytes it announces (also across words), and, only for words holding a
 * lead byte that can start one (C0, C1, E0, E1, ED-FF), overlongs, surrogates and code points too
 * high; sixteen ASCII bytes take one test. Where that loop stops (a sequence carried from the
 * previous piece, the last bytes of a piece, a word that breaks a rule) a finite automaton with one
 * table lookup per byte takes over and names the first bad byte. It never allocates. Overlong forms, UTF-16 surrogates
 * (U+D800-U+DFFF) and code points above U+10FFFF are rejected at the first byte that proves them
 * wrong, so a bad message fails as early as possible.
 *
 * <p><b>Threading:</b> not thread-safe; one instance per connection, used on its service thread.
 */
public final class Utf8Validator {

    private static final int ACCEPT = 0;
    private static final int REJECT = 8;
    /** The high bit of every byte of a long: a byte with it set is not ASCII. */
    static final long HIGH_BITS = 0x8080_8080_8080_8080L;

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
     * One step of the automaton, the only definition of it: the state after byte {@code b} in
     * state {@code s}. ASCII between code points needs no table lookup. Static and small, so the
     * JIT inlines it into both {@code feed} loops.
     */
    private static int step(int s, int b) {
        return s == ACCEPT && b >= 0 ? ACCEPT : TRANSITIONS[s << 8 | (b & 0xFF)];
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
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                i = skipValid(buf, i, to);
                if (i == to) {
                    break;
                }
            }
            // What the word loop left: a sequence carried from the last piece, the last bytes of
            // this one, or a word it found bad. The automaton goes SLOW_SPAN bytes past that point
            // (past any bad word and the next byte it looked at) and on to the end of a code point.
            for (int end = Math.min(to, i + SLOW_SPAN); i < end || s != ACCEPT && i < to; i++) {
                s = step(s, buf.get(i));
                if (s == REJECT) {
                    state = REJECT;
                    return i;
                }
            }
        }
        state = s;
        return -1;
    }

    /** How far past where {@link #skipValid} stopped the automaton goes before the word loop resumes. */
    private static final int SLOW_SPAN = 24;

    /**
     * From {@code i}, a code point boundary, the index {@code b} of a later boundary such that
     * {@code buf[i, b)} is valid: {@code to}, or a point less than 24 bytes before the end of
     * the piece or before a word that breaks a rule. Two eight-byte words per step, sixteen ASCII
     * bytes with one test; the rules of {@link #rangeErrors} only for words with a lead byte that
     * can break them ({@link #rare}). It only ever accepts; where it stops, the automaton finds the exact index of the first
     * bad byte.
     */
    private static int skipValid(ByteBuffer buf, int i, int to) {
        long expect = 0; // continuation bytes the last word's lead bytes ask of the next word
        long leads = 0;  // the last word's lead bytes, to find where its unfinished sequence starts
        boolean swap = buf.order() != ByteOrder.BIG_ENDIAN; // the masks want byte 0 on top
        // two words per step: one ASCII test, one test for "anything to look at" per sixteen bytes
        for (int end = to - 17; i <= end; ) {
            long w = buf.getLong(i);
            long v = buf.getLong(i + 8);
            if ((((w | v) & HIGH_BITS) | expect) == 0) {
                do { // a run of ASCII: nothing but this test, sixteen bytes at a time
                    i += 16;
                } while (i <= end && ((buf.getLong(i) | buf.getLong(i + 8)) & HIGH_BITS) == 0);
                leads = 0;
                continue;
            }
            if (swap) {
                w = Long.reverseBytes(w);
                v = Long.reverseBytes(v);
            }
            long lead = w & w << 1;
            long three = lead & w << 2;
            long four = three & w << 3;
            long wrong = (expect | lead >>> 8 | three >>> 16 | four >>> 24) ^ (w & ~(w << 1));
            long middle = (lead << 56 | three << 48 | four << 40) & HIGH_BITS;
            long lead2 = v & v << 1;
            long three2 = lead2 & v << 2;
            long four2 = three2 & v << 3;
            long wrong2 = (middle | lead2 >>> 8 | three2 >>> 16 | four2 >>> 24) ^ (v & ~(v << 1));
            if (((wrong | wrong2 | rare(w, lead) | rare(v, lead2)) & HIGH_BITS) != 0) {
                if ((wrong & HIGH_BITS) != 0 || rangeErrors(w, w << 8 | v >>> 56, lead, three, four) != 0) {
                    return boundary(i, expect, leads);
                }
                long after = buf.get(i + 16) & 0xFF;
                if ((wrong2 & HIGH_BITS) != 0 || rangeErrors(v, v << 8 | after, lead2, three2, four2) != 0) {
                    return boundary(i + 8, middle, lead & HIGH_BITS);
                }
            }
            expect = (lead2 << 56 | three2 << 48 | four2 << 40) & HIGH_BITS;
            leads = lead2 & HIGH_BITS;
            i += 16;
        }
        for (int end = to - 9; i <= end; i += 8) { // the last word or so: one at a time
            long w = swap ? Long.reverseBytes(buf.getLong(i)) : buf.getLong(i);
            long lead = w & w << 1;
            long three = lead & w << 2;
            long four = three & w << 3;
            long wrong = (expect | lead >>> 8 | three >>> 16 | four >>> 24) ^ (w & ~(w << 1));
            if ((wrong & HIGH_BITS) != 0 || rangeErrors(w, w << 8 | (buf.get(i + 8) & 0xFF), lead, three, four) != 0) {
                break;
            }
            expect = (lead << 56 | three << 48 | four << 40) & HIGH_BITS;
            leads = lead & HIGH_BITS;
        }
        return boundary(i, expect, leads);
    }

    /**
     * The last code point boundary at or before {@code i}, the start of a word: {@code i} unless
     * the word before ({@code leads} its lead bytes) left a sequence open ({@code expect}), then
     * that sequence's lead byte, the last lead byte of that word.
     */
    private static int boundary(int i, long expect, long leads) {
        return expect == 0 ? i : i - 1 - (Long.numberOfTrailingZeros(leads) >>> 3);
    }

    /**
     * Bit 7 set in the lead bytes of {@code w} that may start an overlong, a surrogate or too high a
     * code point, and more: C0, C1, E0, E1 (bits 4-1 clear) and ED-FF. Latin, Greek, Cyrillic and
     * most CJK text has none, and then {@link #rangeErrors} need not run.
     */
    private static long rare(long w, long lead) {
        return lead & ~((w & PAYLOAD_BITS) + LOW_BITS) | w & (w & LOW_BITS) + RARE_ADD;
    }

    /** The low seven bits of every byte; added to a byte of at most 1E, sets its bit 7 unless it is zero. */
    private static final long LOW_BITS = 0x7F7F_7F7F_7F7F_7F7FL;
    /** Bits 4-1 of every byte: all clear in C0, C1, E0 and E1 among the lead bytes. */
    private static final long PAYLOAD_BITS = 0x1E1E_1E1E_1E1E_1E1EL;
    /** Added to the low seven bits of each byte, carries into bit 7 from ED up: {@code 0x80 - 0x6D}. */
    private static final long RARE_ADD = 0x1313_1313_1313_1313L;

    /**
     * Nonzero when a lead byte of the word {@code w} (byte 0 the top one; {@code n} holds the byte
     * after each of its bytes) is never allowed or starts a sequence outside the ranges, the high
     * bit of each byte in which the word shows it. {@code lead}, {@code three} and {@code four} have
     * bit 7 set in the bytes 11xxxxxx, 111xxxxx and 1111xxxx. Checked: no F8-FF, no C0-C1, no E0
     * 80-9F or F0 80-8F (overlong), no ED A0-BF (surrogate), no F4 90-BF nor F5-F7 (above U+10FFFF).
     * That every continuation byte and only those continue a sequence is checked by the caller.
     */
    private static long rangeErrors(long w, long n, long lead, long three, long four) {
        long b3 = w << 4;
        long b2 = w << 5;
        long b1 = w << 6;
        long b0 = w << 7;
        long n5 = n << 2;
        long n4 = n << 3;
        long two = lead & ~(w << 2);
        long threeOnly = three & ~(w << 3);
        long fourOnly = four & ~b3;
        long bad = four & b3                                       // F8-FF
                | two & ~(w << 3 | b3 | b2 | b1)                   // C0, C1
                | threeOnly & ~(b3 | b2 | b1 | b0 | n5)            // E0 80-9F
                | threeOnly & b3 & b2 & ~b1 & b0 & n5              // ED A0-BF
                | fourOnly & ~(b2 | b1 | b0 | n5 | n4)             // F0 80-8F
                | fourOnly & b2 & (b1 | b0 | n5 | n4);             // F4 90-BF, F5-F7
        return bad & HIGH_BITS;
    }

    /** As {@link #feed(ByteBuffer, int, int)} for {@code bytes[from, to)}, a byte at a time (for short texts: close reasons). */
    public int feed(byte[] bytes, int from, int to) {
        int s = state;
        if (s == REJECT) {
            return from;
        }
        for (int i = from; i < to; i++) {
            s = step(s, bytes[i]);
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
