package io.guestloop.demo;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a member's message becomes as a chat line, when only its first bytes are kept. */
class ChatMemberTest {

    private final ChatMember member = new ChatMember("visitor-1", null, null, null);

    private String lineOf(String... parts) {
        for (String p : parts) {
            member.take(ByteBuffer.wrap(p.getBytes(StandardCharsets.UTF_8)));
        }
        return member.line();
    }

    @Test
    void aShortMessageIsTrimmedAndKeptWhole() {
        assertEquals("hello there", lineOf("  hello", " there \n"));
        assertEquals("", lineOf(" \t "));
        assertEquals("next", lineOf("next"), "each line starts afresh");
    }

    @Test
    void aLongMessageIsCutToTheLineLimitWithAnEllipsis() {
        String line = lineOf("x".repeat(ChatLimits.MAX_LINE + 1));
        assertEquals("x".repeat(ChatLimits.MAX_LINE) + "…", line);
    }

    @Test
    void aHugeMessageKeepsOnlyItsFirstBytesAndNeverHalfACharacter() {
        // 3-byte characters: the 2,048 bytes kept end two bytes into the 683rd character
        assertEquals("€".repeat(ChatLimits.MAX_LINE) + "…", lineOf("€".repeat(10_000)));
        // blanks first: 1,900 of them, then 49 characters fit whole, the 50th does not
        assertEquals("€".repeat(49) + "…", lineOf(" ".repeat(1900), "€".repeat(100)));
    }

    @Test
    void completeUtf8StopsBeforeACharacterCutShort() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, ChatMember.completeUtf8(new byte[] {'a', euro[0], euro[1]}, 3));
        assertEquals(4, ChatMember.completeUtf8(new byte[] {'a', euro[0], euro[1], euro[2]}, 4));
        assertEquals(2, ChatMember.completeUtf8(new byte[] {'a', 'b'}, 2));
        assertEquals(1, ChatMember.completeUtf8(new byte[] {'a', smile[0], smile[1], smile[2]}, 4));
        assertEquals(0, ChatMember.completeUtf8(new byte[0], 0));
    }
}
