package io.guestloop.demo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a chat member can type never breaks the JSON the others receive. */
class ChatJsonTest {

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\"", ChatJson.quote("a\"b\\c\nd\te\u0001"));
    }

    @Test
    void scriptEndTagsAndLineSeparatorsAreEscaped() {
        assertEquals("\"\\u003c/script>\\u2028\"", ChatJson.quote("</script>\u2028"));
    }

    @Test
    void surrogatePairsPassButLoneSurrogatesAreEscaped() {
        assertEquals("\"🙂\"", ChatJson.quote("🙂"));
        assertEquals("\"\\ud83d!\"", ChatJson.quote("\ud83d!"));
    }

    @Test
    void aChatLineNamesSenderThreadAndText() {
        assertEquals("{\"type\":\"chat\",\"from\":\"visitor-1\",\"thread\":\"t-0\",\"text\":\"hi\"}",
                ChatJson.chat("visitor-1", "t-0", "hi"));
    }
}
