package io.guestloop.websocket.internal;

import io.guestloop.websocket.CloseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codec halves on their own: {@link MessageDeflater#deflate} against a plain zlib inflater, and
 * {@link MessageInflater} between a parser and a recording listener: round trips, the tail, the
 * zip bomb, corrupt data, and every native object ended.
 */
class MessageInflaterTest {

    private static final PerMessageDeflate TAKEOVER = new PerMessageDeflate(false, false, 0, 6, 0);
    private static final PerMessageDeflate NO_TAKEOVER = new PerMessageDeflate(true, true, 0, 6, 0);

    private final long liveBefore = CodecPool.liveCodecs();
    private final List<MessageInflater> inflaters = new ArrayList<>();
    private final RecordingFrameListener listener = new RecordingFrameListener();

    @AfterEach
    void everyCodecIsEnded() {
        inflaters.forEach(MessageInflater::release);
        assertEquals(liveBefore, CodecPool.liveCodecs(), "every Deflater and Inflater made here was ended");
    }

    private MessageInflater inflater(PerMessageDeflate agreed, long maxMessageSize) {
        MessageInflater inflater = new MessageInflater(listener, agreed, true, maxMessageSize);
        inflaters.add(inflater);
        return inflater;
    }

    private static byte[] json(int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < size; i++) {
            sb.append("{\"type\":\"chat\",\"from\":\"visitor-").append(i % 17).append("\",\"text\":\"line ").append(i).append("\"},");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] deflate(Deflater deflater, byte[] message, boolean endOfMessage) {
        ByteBuffer out = MessageDeflater.deflate(deflater, ByteBuffer.wrap(message), endOfMessage);
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    /** Sends {@code body} to a server-side parser as masked frames of at most {@code frameSize} bytes, RSV1 on the first. */
    private static byte[] frames(int opcode, byte[] body, int frameSize) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(true, () -> 0x1234_5678);
        int at = 0;
        do {
            int n = Math.min(frameSize, body.length - at);
            boolean first = at == 0;
            boolean last = at + n == body.length;
            ByteBuffer frame = ByteBuffer.allocate(writer.frameSize(n));
            writer.write(frame, last, first ? opcode | MessageDeflater.RSV1 : Opcode.CONTINUATION, ByteBuffer.wrap(body, at, n));
            wire.writeBytes(Arrays.copyOf(frame.array(), frame.position()));
            at += n;
        } while (at < body.length);
        return wire.toByteArray();
    }

    private FrameParser parser(MessageInflater inflater) {
        FrameParser parser = new FrameParser(true, 1 << 24, 1 << 24, inflater);
        parser.allowCompressedMessages();
        return parser;
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 125, 65536, 4 << 20})
    void deflatedMessagesInflateWithPlainZlibAfterTheTailIsRestored(int size) throws Exception {
        byte[] message = json(size);
        Deflater deflater = CodecPool.newDeflater(6);
        try {
            byte[] wire = deflate(deflater, message, true);
            assertTrue(wire.length >= 1, "an empty message is one byte, 0x00");
            Inflater zlib = new Inflater(true);
            zlib.setInput(ByteBuffer.allocate(wire.length + 4).put(wire).put(new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}).flip());
            byte[] back = new byte[size + 1];
            int n = zlib.inflate(back);
            zlib.end();
            assertEquals(size, n);
            assertArrayEquals(message, Arrays.copyOf(back, n));
        } finally {
            CodecPool.end(deflater);
        }
    }

    @Test
    void contextTakeoverCarriesTheWindowFromMessageToMessage() {
        MessageInflater inflater = inflater(TAKEOVER, 1 << 20);
        FrameParser parser = parser(inflater);
        Deflater deflater = CodecPool.newDeflater(6);
        try {
            byte[] message = json(2000);
            byte[] first = deflate(deflater, message, true);
            byte[] second = deflate(deflater, message, true);
            assertTrue(second.length < first.length / 4, "the second copy refers back into the first: " + second.length + " vs " + first.length);
            parser.feed(ByteBuffer.wrap(frames(Opcode.TEXT, first, 1 << 20)));
            parser.feed(ByteBuffer.wrap(frames(Opcode.TEXT, second, 1 << 20)));
        } finally {
            CodecPool.end(deflater);
        }
        assertEquals(List.of("text", "end:2000", "text", "end:2000"), listener.events);
        assertArrayEquals(json(2000), listener.messages.get(1));
    }

    @Test
    void fragmentedCompressedMessageWithAPingBetweenFragmentsInflates() {
        MessageInflater inflater = inflater(NO_TAKEOVER, 1 << 20);
        FrameParser parser = parser(inflater);
        byte[] message = json(100_000);
        Deflater deflater = CodecPool.newDeflater(6);
        byte[] compressed;
        try {
            compressed = deflate(deflater, message, true);
        } finally {
            CodecPool.end(deflater);
        }
        byte[] wire = frames(Opcode.BINARY, compressed, 1000);
        byte[] ping = Frames.frame(0x89, true, new byte[] {7});
        int cut = 1008; // the first frame: 4 header bytes, the mask key and 1000 payload bytes
        parser.feed(ByteBuffer.wrap(Arrays.copyOf(wire, cut)));
        parser.feed(ByteBuffer.wrap(ping));
        // the rest one byte at a time: the inflater keeps its state across every split
        for (int i = cut; i < wire.length; i++) {
            parser.feed(ByteBuffer.wrap(wire, i, 1).slice());
        }
        assertEquals(List.of("binary", "ping:07", "end:100000"), listener.events);
        assertArrayEquals(message, listener.messages.get(0));
    }

    @Test
    void aZipBombClosesWith1009BeforeMoreThanTheLimitIsProduced() {
        long limit = 1 << 20;
        MessageInflater inflater = inflater(TAKEOVER, limit);
        FrameParser parser = parser(inflater);
        Deflater deflater = CodecPool.newDeflater(9);
        byte[] bomb;
        try {
            bomb = deflate(deflater, new byte[64 << 20], true); // 64 MiB of zeros in about 64 KiB
        } finally {
            CodecPool.end(deflater);
        }
        assertTrue(bomb.length < 128 * 1024, "the bomb is small on the wire: " + bomb.length);
        parser.feed(ByteBuffer.wrap(frames(Opcode.BINARY, bomb, 1 << 20)));
        assertEquals(CloseCode.MESSAGE_TOO_BIG, listener.errorCode, listener.errorReason);
        assertTrue(listener.currentSize() <= limit, "delivered before the close: " + listener.currentSize());
    }

    @Test
    void corruptCompressedTextClosesWith1007AndBinaryWith1002() {
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34};
        parser(inflater(TAKEOVER, 1 << 20)).feed(ByteBuffer.wrap(frames(Opcode.TEXT, garbage, 100)));
        assertEquals(CloseCode.INVALID_PAYLOAD, listener.errorCode, listener.errorReason);

        RecordingFrameListener binary = new RecordingFrameListener();
        MessageInflater inflater = new MessageInflater(binary, TAKEOVER, true, 1 << 20);
        inflaters.add(inflater);
        FrameParser parser = new FrameParser(true, 1 << 24, 1 << 24, inflater);
        parser.allowCompressedMessages();
        parser.feed(ByteBuffer.wrap(frames(Opcode.BINARY, garbage, 100)));
        assertEquals(CloseCode.PROTOCOL_ERROR, binary.errorCode, binary.errorReason);
    }

    @Test
    void inflatedTextThatIsNotUtf8ClosesWith1007() {
        Deflater deflater = CodecPool.newDeflater(6);
        byte[] compressed;
        try {
            compressed = deflate(deflater, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF}, true);
        } finally {
            CodecPool.end(deflater);
        }
        parser(inflater(NO_TAKEOVER, 1 << 20)).feed(ByteBuffer.wrap(frames(Opcode.TEXT, compressed, 100)));
        assertEquals(CloseCode.INVALID_PAYLOAD, listener.errorCode, listener.errorReason);
    }

    @Test
    void rsv1OnAContinuationOrAControlFrameIs1002() {
        FrameParser parser = parser(inflater(TAKEOVER, 1 << 20));
        parser.feed(ByteBuffer.wrap(Frames.frame(0xC9, true, new byte[0]))); // a ping with RSV1
        assertEquals(CloseCode.PROTOCOL_ERROR, listener.errorCode, listener.errorReason);

        RecordingFrameListener plain = new RecordingFrameListener();
        FrameParser withoutDeflate = new FrameParser(true, 1 << 24, 1 << 24, plain);
        withoutDeflate.feed(ByteBuffer.wrap(Frames.frame(0xC1, true, new byte[] {0})));
        assertEquals(CloseCode.PROTOCOL_ERROR, plain.errorCode, "RSV1 without the extension negotiated");

        RecordingFrameListener continuation = new RecordingFrameListener();
        MessageInflater inflater = new MessageInflater(continuation, TAKEOVER, true, 1 << 20);
        inflaters.add(inflater);
        FrameParser p = new FrameParser(true, 1 << 24, 1 << 24, inflater);
        p.allowCompressedMessages();
        p.feed(ByteBuffer.wrap(Frames.frame(0x41, true, new byte[] {0})));
        p.feed(ByteBuffer.wrap(Frames.frame(0xC0, true, new byte[] {0})));
        assertEquals(CloseCode.PROTOCOL_ERROR, continuation.errorCode, "RSV1 on a continuation frame");
    }

    @Test
    void withoutContextTakeoverAThreadSharesItsPooledInflaters() {
        long created = CodecPool.createdCodecs();
        Deflater deflater = CodecPool.newDeflater(6);
        byte[] compressed;
        try {
            compressed = deflate(deflater, json(300), true);
        } finally {
            CodecPool.end(deflater);
        }
        List<FrameParser> parsers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            parsers.add(parser(inflater(NO_TAKEOVER, 1 << 20)));
        }
        for (FrameParser parser : parsers) {
            parser.feed(ByteBuffer.wrap(frames(Opcode.TEXT, compressed, 1000)));
        }
        assertEquals(50, listener.messages.size());
        assertEquals(2, CodecPool.createdCodecs() - created, "one deflater here, one pooled inflater for all 50 sessions");
        assertEquals(liveBefore + 1, CodecPool.liveCodecs(), "the idle pooled inflater, until its sessions end");
    }
}
