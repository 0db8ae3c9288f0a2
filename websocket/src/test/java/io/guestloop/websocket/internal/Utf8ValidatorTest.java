package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Utf8Validator} on fixed inputs: every encoding length, each kind of ill-formed sequence
 * and the index of its first bad byte, pieces split anywhere, the three final states, and the
 * word-at-a-time path at every offset of its words. The comparisons with reference decoders on
 * generated inputs are in {@link Utf8ValidatorDifferentialTest}.
 */
class Utf8ValidatorTest {

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Feeds everything at once; returns the index of the first bad byte or -1. */
    private static int firstBad(byte[] bytes) {
        return new Utf8Validator().feed(bytes, 0, bytes.length);
    }

    private static void assertValid(byte[] bytes) {
        Utf8Validator v = new Utf8Validator();
        assertEquals(-1, v.feed(bytes, 0, bytes.length), () -> HexFormat.of().formatHex(bytes));
        assertTrue(v.isComplete());
    }

    @Test
    void acceptsAsciiAndEveryEncodingLength() {
        assertValid("plain ascii".getBytes(StandardCharsets.UTF_8));
        assertValid("κόσμε".getBytes(StandardCharsets.UTF_8));
        assertValid("€ ﻿ 中文".getBytes(StandardCharsets.UTF_8));
        assertValid("𝄞 and 😀".getBytes(StandardCharsets.UTF_8));
        assertValid(hex("F4 8F BF BF")); // U+10FFFF, the last code point
        assertValid(hex("EF BF BF"));    // U+FFFF, a noncharacter but valid UTF-8
        assertValid(new byte[0]);
    }

    @Test
    void acceptsValidTextFedOneByteAtATime() {
        byte[] text = "aé€𝄞z".getBytes(StandardCharsets.UTF_8);
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < text.length; i++) {
            assertEquals(-1, v.feed(text, i, i + 1));
        }
        assertTrue(v.isComplete());
    }

    @Test
    void acceptsCodePointSplitAcrossEveryBoundary() {
        byte[] text = "x𝄞€é".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= text.length; split++) {
            Utf8Validator v = new Utf8Validator();
            assertEquals(-1, v.feed(ByteBuffer.wrap(text), 0, split));
            assertEquals(-1, v.feed(ByteBuffer.wrap(text), split, text.length));
            assertTrue(v.isComplete(), "split at " + split);
        }
    }

    @Test
    void rejectsOverlongFormsAtTheFirstByteThatProvesThem() {
        assertEquals(0, firstBad(hex("C0 AF")));       // overlong '/'
        assertEquals(0, firstBad(hex("C1 BF")));
        assertEquals(1, firstBad(hex("E0 80 AF")));
        assertEquals(1, firstBad(hex("E0 9F BF")));
        assertEquals(1, firstBad(hex("F0 80 80 AF")));
        assertEquals(1, firstBad(hex("F0 8F BF BF")));
    }

    @Test
    void rejectsUtf16Surrogates() {
        assertEquals(1, firstBad(hex("ED A0 80")));    // U+D800
        assertEquals(1, firstBad(hex("ED BF BF")));    // U+DFFF
        assertEquals(-1, firstBad(hex("ED 9F BF")));   // U+D7FF is fine
    }

    @Test
    void rejectsCodePointsAboveU10FFFF() {
        assertEquals(1, firstBad(hex("F4 90 80 80")));
        assertEquals(0, firstBad(hex("F5 80 80 80")));
        assertEquals(0, firstBad(hex("FF")));
        assertEquals(0, firstBad(hex("FE")));
    }

    @Test
    void rejectsStrayContinuationAndMissingContinuation() {
        assertEquals(0, firstBad(hex("80")));
        assertEquals(3, firstBad(hex("61 62 63 BF")));
        assertEquals(1, firstBad(hex("C3 41")));
        assertEquals(2, firstBad(hex("E2 82 41")));
    }

    @Test
    void reportsAbsoluteIndexInBuffer() {
        byte[] bytes = hex("00 00 00 61 62 FF 63");
        assertEquals(5, new Utf8Validator().feed(ByteBuffer.wrap(bytes), 3, bytes.length));
    }

    @Test
    void distinguishesIncompleteFromInvalid() {
        Utf8Validator v = new Utf8Validator();
        assertEquals(-1, v.feed(hex("E2 82"), 0, 2));
        assertTrue(v.isIncomplete());
        assertFalse(v.isComplete());
        assertFalse(v.isFailed());
        assertEquals(-1, v.feed(hex("AC"), 0, 1));
        assertTrue(v.isComplete());
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator v = new Utf8Validator();
        assertEquals(0, v.feed(hex("FF"), 0, 1));
        assertTrue(v.isFailed());
        assertEquals(0, v.feed(hex("61"), 0, 1));
        v.reset();
        assertEquals(-1, v.feed(hex("61"), 0, 1));
        assertTrue(v.isComplete());
    }

    // ---- the ASCII fast path (sixteen bytes per step through ByteBuffer) ----

    /** {@code length} ASCII bytes with {@code insert} written at {@code at}. */
    private static byte[] asciiWith(int length, int at, byte[] insert) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        System.arraycopy(insert, 0, b, at, insert.length);
        return b;
    }

    /** {@code bytes} in a direct buffer at {@code offset}, so the long reads fall at every alignment. */
    static ByteBuffer direct(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.allocateDirect(offset + bytes.length);
        b.position(offset);
        b.put(bytes);
        return b;
    }

    @Test
    void fastPathStopsAtABadByteAtEveryOffsetOfEveryWord() {
        for (int offset = 0; offset < 8; offset++) {
            for (int at = 0; at < 48; at++) {
                byte[] text = asciiWith(48, at, hex("FF"));
                ByteBuffer buf = direct(text, offset);
                assertEquals(offset + at, new Utf8Validator().feed(buf, offset, offset + text.length), "offset " + offset + " at " + at);
                assertEquals(at, new Utf8Validator().feed(ByteBuffer.wrap(text), 0, text.length), "heap, at " + at);
            }
        }
    }

    @Test
    void fastPathHandsEveryMultiByteCodePointAtEveryOffsetToTheAutomaton() {
        String[] codePoints = {"é", "€", "😀"};
        for (String cp : codePoints) {
            byte[] utf8 = cp.getBytes(StandardCharsets.UTF_8);
            for (int at = 0; at + utf8.length <= 48; at++) {
                byte[] text = asciiWith(48, at, utf8);
                Utf8Validator v = new Utf8Validator();
                assertEquals(-1, v.feed(direct(text, 3), 3, 3 + text.length), cp + " at " + at);
                assertTrue(v.isComplete());
            }
        }
    }

    @Test
    void fastPathFindsAnOverlongOrSurrogateInsideALongAsciiRun() {
        for (String bad : new String[] {"C0 AF", "ED A0 80", "F4 90 80 80", "80"}) {
            byte[] seq = hex(bad);
            for (int at = 0; at + seq.length <= 40; at += 5) {
                byte[] text = asciiWith(40, at, seq);
                int expected = firstBad(text); // the byte-at-a-time path is the reference
                assertTrue(expected >= at, bad);
                assertEquals(expected, new Utf8Validator().feed(ByteBuffer.wrap(text), 0, text.length), bad + " at " + at);
            }
        }
    }

    @Test
    void sequencesSplitAcrossFeedsAtEveryPointOfALongTextAreAccepted() {
        byte[] text = ("0123456789abcdef0123456789é€😀 and more ASCII to fill a word or two" + "中文".repeat(3))
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = direct(text, 0);
        for (int split = 0; split <= text.length; split++) {
            Utf8Validator v = new Utf8Validator();
            assertEquals(-1, v.feed(buf, 0, split), "first part up to " + split);
            assertEquals(-1, v.feed(buf, split, text.length), "second part from " + split);
            assertTrue(v.isComplete(), "complete after split at " + split);
        }
    }
}
