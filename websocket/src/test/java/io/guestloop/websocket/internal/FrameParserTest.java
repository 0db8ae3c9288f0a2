package io.guestloop.websocket.internal;

import io.guestloop.websocket.CloseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.List;

import static io.guestloop.websocket.internal.Frames.closePayload;
import static io.guestloop.websocket.internal.Frames.concat;
import static io.guestloop.websocket.internal.Frames.frame;
import static io.guestloop.websocket.internal.Frames.payload;
import static io.guestloop.websocket.internal.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameParserTest {

    private static final long LIMIT = 1 << 20;

    private final RecordingFrameListener events = new RecordingFrameListener();

    private FrameParser server() {
        return new FrameParser(true, LIMIT, LIMIT, events);
    }

    private FrameParser client() {
        return new FrameParser(false, LIMIT, LIMIT, events);
    }

    /** Feeds a copy of {@code bytes} in one buffer; returns what the buffer had left. */
    private static int feed(FrameParser parser, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes.clone());
        parser.feed(in);
        return in.remaining();
    }

    private static void feedOneByteAtATime(FrameParser parser, byte[] bytes) {
        for (byte b : bytes) {
            parser.feed(ByteBuffer.wrap(new byte[] {b}));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 100_000})
    void parsesMaskedBinaryOfEveryLengthForm(int length) {
        byte[] body = payload(length);
        feed(server(), frame(0x82, true, body));
        assertEquals(List.of("binary", "end:" + length), events.events);
        assertArrayEquals(body, events.messages.get(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 100_000})
    void parsesUnmaskedTextOfEveryLengthFormOnTheClient(int length) {
        byte[] body = "a".repeat(length).getBytes();
        feed(client(), frame(0x81, false, body));
        assertEquals(List.of("text", "end:" + length), events.events);
        assertArrayEquals(body, events.messages.get(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65535, 65536})
    void parsesFramesFedOneByteAtATime(int length) {
        byte[] body = payload(length);
        feedOneByteAtATime(server(), frame(0x82, true, body));
        assertEquals(List.of("binary", "end:" + length), events.events);
        assertArrayEquals(body, events.messages.get(0));
    }

    @Test
    void parsesSmallFramesSplitAtEveryBoundary() {
        for (int length : new int[] {0, 3, 125, 126, 300}) {
            for (boolean masked : new boolean[] {true, false}) {
                byte[] wire = concat(frame(0x01, masked, utf8("é".repeat(length / 2 + 1))),
                        frame(0x89, masked, utf8("hi")), frame(0x80, masked, payload(0)));
                for (int split = 0; split <= wire.length; split++) {
                    RecordingFrameListener rec = new RecordingFrameListener();
                    FrameParser parser = new FrameParser(masked, LIMIT, LIMIT, rec);
                    byte[] copy = wire.clone();
                    parser.feed(ByteBuffer.wrap(copy, 0, split));
                    parser.feed(ByteBuffer.wrap(copy, split, copy.length - split));
                    String where = "length " + length + " masked " + masked + " split " + split;
                    assertEquals(List.of("text", "ping:6869", "end:" + (length / 2 + 1) * 2), rec.events, where);
                    assertArrayEquals(utf8("é".repeat(length / 2 + 1)), rec.messages.get(0), where);
                }
            }
        }
    }

    @Test
    void refusesSixtyFourBitLengthFormForAPayloadThatFitsSixteenBits() {
        byte[] wire = {(byte) 0x82, 127, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};
        feed(client(), wire);
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void refusesSixteenBitLengthFormForAPayloadThatFitsSevenBits() {
        byte[] wire = {(byte) 0x82, 126, 0, 125};
        feed(client(), wire);
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void deliversFragmentedMessageWithControlFramesBetweenFragments() {
        byte[] wire = concat(frame(0x01, true, utf8("Hel")), frame(0x89, true, utf8("p1")),
                frame(0x00, true, utf8("lo, ")), frame(0x8A, true, utf8("x")),
                frame(0x89, true, payload(0)), frame(0x80, true, utf8("world")));
        feedOneByteAtATime(server(), wire);
        assertEquals(List.of("text", "ping:7031", "pong:78", "ping:", "end:12"), events.events);
        assertArrayEquals(utf8("Hello, world"), events.messages.get(0));
    }

    @Test
    void deliversPingPayloadForTheEcho() {
        feed(server(), frame(0x89, true, payload(125)));
        assertEquals("ping:" + java.util.HexFormat.of().formatHex(payload(125)), events.events.get(0));
    }

    @Test
    void acceptsEmptyFragmentsAndEmptyMessages() {
        feed(server(), concat(frame(0x01, true, payload(0)), frame(0x00, true, payload(0)),
                frame(0x80, true, payload(0)), frame(0x82, true, payload(0))));
        assertEquals(List.of("text", "end:0", "binary", "end:0"), events.events);
    }

    @Test
    void reportsCloseAndConsumesNothingAfterIt() {
        FrameParser parser = server();
        byte[] wire = concat(frame(0x88, true, closePayload(1000, utf8("bye"))), frame(0x82, true, payload(5)));
        int left = feed(parser, wire);
        assertEquals(List.of("close:1000:bye"), events.events);
        assertEquals(11, left);
        assertTrue(parser.isDone());
        assertFalse(parser.feed(ByteBuffer.wrap(new byte[] {1})));
    }

    @Test
    void reportsEmptyCloseAsNoStatusReceived() {
        feed(server(), frame(0x88, true, payload(0)));
        assertEquals(List.of("close:1005:"), events.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void acceptsEveryCloseCodeAllowedOnTheWire(int code) {
        feed(server(), frame(0x88, true, closePayload(code, utf8(""))));
        assertEquals(List.of("close:" + code + ":"), events.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void refusesCloseCodesNotAllowedOnTheWire(int code) {
        feed(server(), frame(0x88, true, closePayload(code, utf8(""))));
        assertEquals(CloseCode.PROTOCOL_ERROR, events.errorCode);
    }

    @Test
    void refusesOneByteClosePayload() {
        feed(server(), frame(0x88, true, new byte[] {3}));
        assertEquals(CloseCode.PROTOCOL_ERROR, events.errorCode);
    }

    @Test
    void refusesCloseReasonThatIsNotUtf8() {
        feed(server(), frame(0x88, true, closePayload(1000, new byte[] {'o', (byte) 0xC0, (byte) 0xAF})));
        assertEquals(CloseCode.INVALID_PAYLOAD, events.errorCode);
    }

    @Test
    void refusesCloseReasonTruncatedInsideACodePoint() {
        feed(server(), frame(0x88, true, closePayload(1000, new byte[] {'o', (byte) 0xE2, (byte) 0x82})));
        assertEquals(CloseCode.INVALID_PAYLOAD, events.errorCode);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void refusesReservedBits(int rsv) {
        feed(server(), frame(0x81 | rsv, true, utf8("x")));
        assertEquals(List.of("error:1002"), events.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void refusesReservedOpcodes(int opcode) {
        feed(server(), frame(0x80 | opcode, true, payload(0)));
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void refusesContinuationWithoutAMessage() {
        feed(server(), frame(0x80, true, payload(1)));
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void refusesNewMessageInsideAFragmentedOne() {
        feed(server(), concat(frame(0x01, true, utf8("a")), frame(0x81, true, utf8("b"))));
        assertEquals(List.of("text", "error:1002"), events.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x08, 0x09, 0x0A})
    void refusesFragmentedControlFrames(int opcode) {
        feed(server(), frame(opcode, true, payload(1)));
        assertEquals(List.of("error:1002"), events.events);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x88, 0x89, 0x8A})
    void refusesControlFramesLongerThan125Bytes(int firstByte) {
        feed(server(), frame(firstByte, true, payload(126)));
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void serverRefusesUnmaskedFrames() {
        feed(server(), frame(0x81, false, utf8("hi")));
        assertEquals(List.of("error:1002"), events.events);
        assertTrue(events.errorReason.contains("not masked"), events.errorReason);
    }

    @Test
    void clientRefusesMaskedFrames() {
        feed(client(), frame(0x81, true, utf8("hi")));
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void refusesSixtyFourBitLengthWithTheTopBitSet() {
        byte[] wire = {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1};
        feed(client(), wire);
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void refusesOversizedFrameFromItsHeaderAlone() {
        FrameParser parser = new FrameParser(false, 1000, LIMIT, events);
        byte[] wire = frame(0x82, false, payload(1001));
        parser.feed(ByteBuffer.wrap(wire, 0, 4));
        assertEquals(List.of("error:1009"), events.events);
    }

    @Test
    void refusesMessageThatOutgrowsTheLimitAcrossFragments() {
        FrameParser parser = new FrameParser(false, LIMIT, 1000, events);
        feed(parser, concat(frame(0x02, false, payload(600)), frame(0x80, false, payload(401))));
        assertEquals(List.of("binary", "error:1009"), events.events);
    }

    @Test
    void acceptsMessageExactlyAtTheLimit() {
        FrameParser parser = new FrameParser(false, 600, 1000, events);
        feed(parser, concat(frame(0x02, false, payload(600)), frame(0x80, false, payload(400))));
        assertEquals(List.of("binary", "end:1000"), events.events);
    }

    @Test
    void refusesInvalidUtf8AtItsFirstBadByteWithoutDeliveringIt() {
        FrameParser parser = server();
        byte[] wire = frame(0x81, true, concat(utf8("ab"), new byte[] {(byte) 0xFF}, utf8("cd")));
        int left = feed(parser, wire);
        assertEquals(List.of("text", "error:1007"), events.events);
        assertEquals(0, events.currentSize());
        assertTrue(events.errorReason.contains("byte 2"), events.errorReason);
        assertFalse(parser.feed(ByteBuffer.wrap(new byte[] {1})));
        assertEquals(5, left, "the payload holding the bad byte stays unconsumed");
    }

    @Test
    void refusesInvalidUtf8InALaterFragment() {
        feed(server(), concat(frame(0x01, true, utf8("ok")), frame(0x80, true, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
        assertEquals(List.of("text", "error:1007"), events.events);
        assertTrue(events.errorReason.contains("byte 3"), events.errorReason);
    }

    @Test
    void acceptsCodePointSplitBetweenFragments() {
        byte[] euro = utf8("€");
        feed(server(), concat(frame(0x01, true, new byte[] {euro[0]}), frame(0x00, true, new byte[] {euro[1]}),
                frame(0x80, true, new byte[] {euro[2]})));
        assertEquals(List.of("text", "end:3"), events.events);
    }

    @Test
    void anAsciiFragmentAfterAnUnfinishedCodePointIsStillChecked() {
        // The unmasking pass finds "abcdefgh" all ASCII, but the euro sign's first byte waits for continuations.
        byte[] euro = utf8("€");
        feed(server(), concat(frame(0x01, true, new byte[] {euro[0]}), frame(0x80, true, utf8("abcdefghij"))));
        assertEquals(List.of("text", "error:1007"), events.events);
        assertTrue(events.errorReason.contains("byte 1"), events.errorReason);
    }

    @Test
    void longMaskedTextOfEveryLengthIsCheckedPastItsAsciiWords() {
        for (int length = 1; length <= 40; length++) {
            for (int bad = 0; bad < length; bad++) {
                byte[] text = utf8("x".repeat(length));
                text[bad] = (byte) 0xFF;
                RecordingFrameListener heard = new RecordingFrameListener();
                feed(new FrameParser(true, LIMIT, LIMIT, heard), frame(0x81, true, text));
                assertEquals(List.of("text", "error:1007"), heard.events, "length " + length + ", bad byte " + bad);
            }
        }
    }

    @Test
    void refusesTextThatEndsInsideACodePoint() {
        byte[] euro = utf8("€");
        feed(server(), concat(frame(0x01, true, new byte[] {euro[0]}), frame(0x80, true, new byte[] {euro[1]})));
        assertEquals(List.of("text", "error:1007"), events.events);
    }

    @Test
    void doesNotValidateBinaryAsText() {
        feed(server(), frame(0x82, true, new byte[] {(byte) 0xFF, (byte) 0xC0}));
        assertEquals(List.of("binary", "end:2"), events.events);
    }

    @Test
    void consumesNothingAfterAProtocolError() {
        FrameParser parser = server();
        byte[] wire = concat(frame(0xC1, true, utf8("x")), frame(0x81, true, utf8("y")));
        ByteBuffer in = ByteBuffer.wrap(wire);
        assertFalse(parser.feed(in));
        assertEquals(wire.length - 1, in.remaining());
        assertFalse(parser.feed(in));
        assertEquals(List.of("error:1002"), events.events);
    }

    @Test
    void aSuspensionFromACallbackLeavesTheRestOfTheBufferForTheNextFeed() {
        FrameParser parser = server();
        events.afterEvent = parser::suspend;
        ByteBuffer in = ByteBuffer.wrap(concat(frame(0x81, true, utf8("one")), frame(0x89, true, utf8("p")),
                frame(0x81, true, utf8("two"))));
        int afterFirst = frame(0x81, true, utf8("one")).length;
        parser.feed(in);
        // the payload callback of "one" suspends: its end is owed, and nothing after it was read
        assertEquals(List.of("text"), events.events);
        assertEquals(afterFirst, in.position());
        parser.unsuspend();
        parser.feed(ByteBuffer.allocate(0)); // an empty feed completes the frame whose payload was all read
        assertEquals(List.of("text", "end:3"), events.events);
        parser.unsuspend();
        parser.feed(in);
        assertEquals(List.of("text", "end:3", "ping:70"), events.events);
        events.afterEvent = () -> { };
        parser.unsuspend();
        parser.feed(in);
        assertEquals(List.of("text", "end:3", "ping:70", "text", "end:3"), events.events);
        assertFalse(in.hasRemaining());
    }

    @Test
    void aSuspendedParserConsumesNothing() {
        FrameParser parser = server();
        parser.suspend();
        ByteBuffer in = ByteBuffer.wrap(frame(0x81, true, utf8("x")));
        parser.feed(in);
        assertEquals(0, in.position());
        assertEquals(List.of(), events.events);
    }
}
