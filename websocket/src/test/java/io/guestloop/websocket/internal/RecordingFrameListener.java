package io.guestloop.websocket.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records what a FrameParser reports as readable event strings, and assembles message bodies. */
final class RecordingFrameListener implements FrameListener {

    final List<String> events = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    int errorCode = -1;
    String errorReason;
    int closeCode = -1;
    /** Runs after each reported event (a test suspends its parser from here). */
    Runnable afterEvent = () -> { };

    @Override
    public void onMessageStart(boolean text) {
        events.add(text ? "text" : "binary");
        current.reset();
    }

    @Override
    public void onMessagePayload(ByteBuffer payload) {
        if (!payload.hasRemaining()) {
            throw new AssertionError("empty payload reported");
        }
        byte[] chunk = new byte[payload.remaining()];
        payload.get(chunk);
        current.writeBytes(chunk);
        afterEvent.run();
    }

    @Override
    public void onMessageEnd() {
        messages.add(current.toByteArray());
        events.add("end:" + current.size());
        afterEvent.run();
    }

    @Override
    public void onPing(ByteBuffer payload) {
        events.add("ping:" + hex(payload));
        afterEvent.run();
    }

    @Override
    public void onPong(ByteBuffer payload) {
        events.add("pong:" + hex(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        closeCode = code;
        events.add("close:" + code + ":" + reason);
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        if (errorCode != -1) {
            throw new AssertionError("second protocol error reported: " + reason);
        }
        errorCode = closeCode;
        errorReason = reason;
        events.add("error:" + closeCode);
    }

    /** Bytes of the message being assembled (for checking what was delivered before an error). */
    int currentSize() {
        return current.size();
    }

    private static String hex(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
