package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client-side endpoint that hands every message (a {@code String} or a {@code byte[]}) and the
 * close to the test thread.
 *
 * <p><b>Threading:</b> callbacks on the loop; {@link #next()} on the test thread.
 */
class MessageCollector extends RecordingEndpoint {

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

    MessageCollector() {
        super(false);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        messages.add(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        messages.add(copy);
    }

    /** The next message, waiting for it; fails the test when none comes. */
    Object next() throws InterruptedException {
        Object m = messages.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + Timeouts.AWAIT);
        }
        return m;
    }
}
