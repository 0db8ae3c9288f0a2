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
    void textIsValidUtf8OfExactlyTheSizeWithSomeNonAscii(int size) throws CharacterCodingException {
        byte[] text = Payload.TEXT.message(size);
        assertEquals(size, text.length);
        String decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(text)).toString();
        if (size >= 64) {
            long nonAscii = decoded.chars().filter(c -> c >= 0x80).count();
            double share = (double) nonAscii / decoded.length();
            assertTrue(share > 0.03 && share < 0.2, "share of non-ASCII characters " + share);
        }
    }

    @Test
    void textIsTheSameBytesEveryTime() {
        assertArrayEquals(Payload.TEXT.message(16 * 1024), Payload.TEXT.message(16 * 1024));
    }

    @Test
    void workloadNamesEndingInTAreText() {
        assertEquals(Payload.TEXT, Payload.of("16384x100t"));
        assertEquals(Payload.BINARY, Payload.of("16384x100"));
        assertEquals("16384x100t", 16384 + "x" + 100 + Payload.TEXT.suffix());
    }
}
