package io.guestloop.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 64, 125, 16 * 1024})
    void mixedTextIsValidUtf8OfExactlyTheSizeWithSomeNonAscii(int size) throws CharacterCodingException {
        String decoded = decodedOfSize(Payload.MIXED_TEXT, size);
        if (size >= 64) {
            long nonAscii = decoded.chars().filter(c -> c >= 0x80).count();
            double share = (double) nonAscii / decoded.length();
            assertTrue(share > 0.03 && share < 0.2, "share of non-ASCII characters " + share);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 64, 125, 16 * 1024})
    void textIsAsciiProseOfExactlyTheSize(int size) throws CharacterCodingException {
        String decoded = decodedOfSize(Payload.TEXT, size);
        assertTrue(decoded.chars().allMatch(c -> c == ' ' || (c >= 'a' && c <= 'z')), decoded);
        if (size >= 64) {
            assertTrue(decoded.chars().filter(c -> c == ' ').count() >= size / 11, "words, not one run of letters");
        }
    }

    private static String decodedOfSize(Payload payload, int size) throws CharacterCodingException {
        byte[] text = payload.message(size);
        assertEquals(size, text.length);
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text)).toString();
    }

    @Test
    void textIsTheSameBytesEveryTime() {
        assertArrayEquals(Payload.TEXT.message(16 * 1024), Payload.TEXT.message(16 * 1024));
        assertArrayEquals(Payload.MIXED_TEXT.message(16 * 1024), Payload.MIXED_TEXT.message(16 * 1024));
    }

    @Test
    void workloadNamesEndingInTOrUAreText() {
        assertEquals(Payload.TEXT, Payload.of("16384x100t"));
        assertEquals(Payload.MIXED_TEXT, Payload.of("16384x100u"));
        assertEquals(Payload.BINARY, Payload.of("16384x100"));
        assertEquals("16384x100t", 16384 + "x" + 100 + Payload.TEXT.suffix());
        assertEquals("16384x100u", 16384 + "x" + 100 + Payload.MIXED_TEXT.suffix());
    }
}
