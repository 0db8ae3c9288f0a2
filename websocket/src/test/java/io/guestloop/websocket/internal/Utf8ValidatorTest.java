package io.guestloop.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8ValidatorTest {

    private static byte[] hex(String hex) {
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

    @Test
    void agreesWithTheJdkDecoderOnEveryOneAndTwoByteSequence() {
        byte[] pair = new byte[2];
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                pair[0] = (byte) a;
                pair[1] = (byte) b;
                assertAgrees(pair);
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnEveryThreeByteSequenceWithAThreeByteLead() {
        byte[] triple = new byte[3];
        for (int a = 0xE0; a <= 0xEF; a++) {
            for (int b = 0x70; b < 0xD0; b++) {
                for (int c = 0x70; c < 0xD0; c++) {
                    triple[0] = (byte) a;
                    triple[1] = (byte) b;
                    triple[2] = (byte) c;
                    assertAgrees(triple);
                }
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomFourByteSequences() {
        SplittableRandom random = new SplittableRandom(6455);
        byte[] quad = new byte[4];
        for (int i = 0; i < 200_000; i++) {
            quad[0] = (byte) (0xF0 + random.nextInt(8));
            for (int j = 1; j < 4; j++) {
                quad[j] = (byte) (0x70 + random.nextInt(0x60));
            }
            assertAgrees(quad);
        }
    }

    private static final CharsetDecoder STRICT = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private static void assertAgrees(byte[] bytes) {
        boolean jdk;
        try {
            STRICT.decode(ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        Utf8Validator v = new Utf8Validator();
        boolean ours = v.feed(bytes, 0, bytes.length) < 0 && v.isComplete();
        assertEquals(jdk, ours, () -> HexFormat.of().formatHex(bytes));
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
    private static ByteBuffer direct(byte[] bytes, int offset) {
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

    @Test
    void fastPathAgreesWithTheByteAtATimePathOnRandomText() {
        SplittableRandom random = new SplittableRandom(19);
        for (int round = 0; round < 2_000; round++) {
            byte[] text = new byte[random.nextInt(1, 80)];
            for (int i = 0; i < text.length; i++) {
                // mostly ASCII, sometimes any byte: valid and invalid sequences both occur
                text[i] = (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : random.nextInt(0x80));
            }
            int split = random.nextInt(text.length + 1);
            Utf8Validator reference = new Utf8Validator();
            int expected = reference.feed(text, 0, split);
            if (expected < 0) {
                expected = reference.feed(text, split, text.length);
            }
            Utf8Validator fast = new Utf8Validator();
            ByteBuffer buf = direct(text, 0);
            int actual = fast.feed(buf, 0, split);
            if (actual < 0) {
                actual = fast.feed(buf, split, text.length);
            }
            assertEquals(expected, actual, () -> HexFormat.of().formatHex(text) + " split at " + split);
            assertEquals(reference.isComplete(), fast.isComplete());
        }
    }
}
