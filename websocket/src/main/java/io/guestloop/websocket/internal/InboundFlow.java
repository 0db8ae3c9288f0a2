package io.guestloop.websocket.internal;

import io.guestloop.Connection;
import io.guestloop.Timer;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Inbound flow control of one session: feeds what the connection reads to the {@link FrameParser}
 * unless the application paused the socket. A pause stops the connection reading (the peer's bytes
 * wait in the kernel: TCP backpressure) and, when asked from inside a callback, stops the parser
 * after that callback, so no further frame of the bytes already read is delivered. Those unparsed
 * bytes are copied aside, at most what one read returned (the service thread's read buffer), since
 * no read happens while paused. On resume they are parsed first, on a later turn of the loop (never
 * inside the caller's own call), and only then does the connection read again, so order is kept.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its connection's service thread.
 */
final class InboundFlow {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Connection connection;
    private final FrameParser parser;
    private boolean paused;
    private boolean feeding;
    private boolean stopped;
    /** Bytes read before a pause and not parsed yet, or null. */
    private ByteBuffer held;
    private Timer resumeTimer;

    InboundFlow(Connection connection, FrameParser parser) {
        this.connection = connection;
        this.parser = parser;
    }

    /** Bytes arrived: parsed now, or (while paused, or behind bytes still held) kept for later. */
    void onData(ByteBuffer data) {
        if (stopped) {
            return;
        }
        if (paused || held != null) {
            hold(data);
            return;
        }
        feed(data);
        if (paused) {
            hold(data);
        }
    }

    /** Stops delivery after the callback in progress and stops reading. Idempotent. */
    void pause() {
        if (paused || stopped) {
            return;
        }
        paused = true;
        parser.suspend();
        if (resumeTimer != null) {
            resumeTimer.cancel();
            resumeTimer = null;
        }
        if (connection.isOpen()) {
            connection.pauseReading();
        }
    }

    /** Delivers what was held, then reads again. Idempotent. */
    void resume() {
        if (!paused || stopped) {
            return;
        }
        paused = false;
        parser.unsuspend();
        if (feeding) {
            // Resumed inside a callback of the feed in progress: it simply goes on.
            resumeReading();
        } else {
            // A turn of the loop later, so the caller's own call is never re-entered by callbacks.
            resumeTimer = connection.serviceThread().schedule(Duration.ZERO, this::deliverHeld);
        }
    }

    boolean isPaused() {
        return paused;
    }

    /** The session ended or failed: nothing more is parsed, what was held is dropped. */
    void stop() {
        stopped = true;
        held = null;
        if (resumeTimer != null) {
            resumeTimer.cancel();
            resumeTimer = null;
        }
    }

    /** Bytes held, for tests and for the memory bound: at most one read's worth. */
    int heldBytes() {
        return held == null ? 0 : held.remaining();
    }

    private void deliverHeld() {
        resumeTimer = null;
        if (paused || stopped) {
            return;
        }
        ByteBuffer bytes = held != null ? held : EMPTY;
        held = null;
        // Even with nothing held the parser may owe the end of a frame whose payload came before the pause.
        feed(bytes);
        if (paused) {
            if (bytes.hasRemaining() && !stopped && !parser.isDone()) {
                held = bytes; // our own copy already: keep the rest as it is
            }
            return;
        }
        resumeReading();
    }

    private void feed(ByteBuffer data) {
        feeding = true;
        try {
            parser.feed(data);
        } finally {
            feeding = false;
        }
    }

    private void hold(ByteBuffer data) {
        if (!data.hasRemaining() || stopped || parser.isDone()) {
            data.position(data.limit());
            return;
        }
        ByteBuffer copy;
        if (held == null) {
            copy = ByteBuffer.allocate(data.remaining());
        } else {
            // Only if bytes were read between a resume and its delivery; the connection does not read then.
            copy = ByteBuffer.allocate(held.remaining() + data.remaining()).put(held);
        }
        held = copy.put(data).flip();
    }

    private void resumeReading() {
        if (connection.isOpen()) {
            connection.resumeReading();
        }
    }
}
