package io.guestloop.websocket.internal;

import java.nio.ByteBuffer;

/**
 * The phase a WebSocket connection is in (server handshake, client handshake, open session), kept
 * as the connection's attachment so that one shared handler can route each event to it.
 *
 * <p><b>Threading:</b> called on the connection's service thread only.
 */
public interface ConnectionState {

    /** Bytes arrived; see {@link io.guestloop.ConnectionHandler#onData}. */
    void onData(ByteBuffer data);

    /** The write queue crossed a water mark. */
    default void onWritabilityChanged(boolean writable) {
    }

    /** The write queue is empty after {@link io.guestloop.Connection#requestWritable()}. */
    default void onWritable() {
    }

    /**
     * The context is shutting down politely ({@link io.guestloop.GuestContext#shutdown}): an open
     * session sends 1001 (going away) and waits for the close reply; anything else closes once its
     * queued bytes have left.
     */
    void onShutdown();

    /** The connection is closed; {@code cause} is null for an orderly end. */
    void onClosed(Throwable cause);
}
