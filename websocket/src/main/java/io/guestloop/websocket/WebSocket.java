package io.guestloop.websocket;

import io.guestloop.ServiceThread;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One open WebSocket connection, server or client side: send messages, ping, close.
 *
 * <p><b>Backpressure.</b> Every send writes one whole frame into the connection's write queue or
 * nothing at all. While the queue holds the context's high-water mark
 * ({@code GuestContext.Builder.writeQueueWaterMarks}), sends are refused: they return
 * {@code false} and send nothing, and the endpoint is told through
 * {@link WebSocketEndpoint#onWritabilityChanged}: {@code false} when the mark is crossed,
 * {@code true} once the queue drained to the low-water mark. So a peer that reads slowly never makes
 * memory grow past the high-water mark plus one frame. Pongs and the close frame are never lost to
 * backpressure: they are held (one each) and sent when the queue drains, and a connection that
 * ends after its close frame (a reply to the peer's close, or a protocol error) ends only once that
 * frame is queued; the close timeout ({@link WebSocketConfig#closeTimeout}) bounds the wait, so a
 * peer that never reads is dropped.
 *
 * <p><b>Inbound flow control.</b> {@link #pause()} stops the delivery of incoming frames until
 * {@link #resume()}: the connection stops reading, so the peer's further bytes wait in the kernel
 * and TCP slows the peer down. Called from inside an endpoint callback it takes effect as soon as
 * that callback returns, even when the bytes already read hold more frames: those are kept (at most
 * one read's worth, the service thread's read buffer) and delivered, in order, after
 * {@code resume()}. So an endpoint that cannot take more right now (its consumer is full, its own
 * peer reads slowly) pauses, keeps the message in hand, and resumes when it has room: nothing is
 * lost and the connection's memory stays bounded. A paused socket is never closed as idle.
 *
 * <p><b>Threading:</b> every method must be called on {@link #serviceThread()}, else
 * {@link io.guestloop.WrongThreadException}. From another thread, post the work with
 * {@link io.guestloop.Mailbox} (or a queue and {@code GuestContext.cancelService()}) and send from
 * the service thread.
 */
public interface WebSocket {

    /**
     * Sends a text message in one frame.
     *
     * @return false when refused (write queue full, or closing); nothing was sent
     * @throws IllegalStateException while a fragmented message sent with
     *                               {@link #sendTextFragment}/{@link #sendBinaryFragment} is unfinished
     */
    boolean sendText(CharSequence text);

    /**
     * Sends a text message in one frame from its UTF-8 bytes (between position and limit), with no
     * decoding or encoding: an endpoint that {@linkplain WebSocketEndpoint#receivesTextAsBytes()
     * takes text as bytes} echoes or forwards text this way. The bytes are checked first; their
     * position advances only when the message was accepted.
     *
     * @return false when refused (write queue full, or closing); nothing was sent
     * @throws IllegalArgumentException when the bytes are not whole, valid UTF-8; nothing was sent
     * @throws IllegalStateException while a fragmented message is unfinished
     */
    boolean sendText(ByteBuffer utf8);

    /**
     * Sends a binary message in one frame; {@code data}'s remaining bytes are copied, its position
     * advanced only when the message was accepted.
     *
     * @return false when refused (write queue full, or closing); nothing was sent
     * @throws IllegalStateException while a fragmented message is unfinished
     */
    boolean sendBinary(ByteBuffer data);

    /**
     * Sends one fragment of a text message streamed in parts; {@code last} ends it. Each part is
     * encoded on its own, so a part must not end between the two halves of a surrogate pair.
     *
     * @return false when refused; nothing was sent, send the same part again later
     * @throws IllegalStateException while a binary fragmented message is unfinished
     */
    boolean sendTextFragment(CharSequence part, boolean last);

    /**
     * Sends one fragment of a binary message streamed in parts; {@code last} ends it.
     *
     * @return false when refused; nothing was sent, send the same part again later
     * @throws IllegalStateException while a text fragmented message is unfinished
     */
    boolean sendBinaryFragment(ByteBuffer part, boolean last);

    /**
     * Sends a ping with up to 125 bytes of payload; the peer's pong reaches
     * {@link WebSocketEndpoint#onPong}.
     *
     * @return false when refused
     * @throws IllegalArgumentException for a payload over 125 bytes
     */
    boolean ping(ByteBuffer payload);

    /**
     * Starts the close handshake: sends a close frame with {@code code} and {@code reason} (cut to
     * fit 123 bytes of UTF-8), then waits for the peer's close frame, at most the configured close
     * timeout. {@link WebSocketEndpoint#onClose} follows when the socket is closed. Further sends
     * are refused. Idempotent: only the first call sends.
     *
     * @throws IllegalArgumentException for a code that may not be sent ({@link CloseCode#isValidOnWire})
     */
    void close(int code, String reason);

    /** {@code close(CloseCode.NORMAL, "")}. */
    default void close() {
        close(CloseCode.NORMAL, "");
    }

    /**
     * Stops delivering incoming messages and control frames until {@link #resume()}, and stops
     * reading from the socket. Inside an endpoint callback, the frames after the current one that
     * were already read are held back and delivered after {@code resume()}. Idempotent; ignored once
     * the connection has ended or failed.
     */
    void pause();

    /**
     * Delivers what {@link #pause()} held back, on a later turn of the loop (never from inside this
     * call), then reads again. Idempotent. {@link #close} resumes a paused socket, since the peer's
     * close frame must be read.
     */
    void resume();

    /** True between {@link #pause()} and {@link #resume()}. */
    boolean isPaused();

    /** Drops the connection at once, without a close handshake (the peer sees 1006). */
    void abort();

    /** True until a close frame was sent or the connection ended. */
    boolean isOpen();

    /** True when a send would be accepted now. */
    boolean isWritable();

    /** The subprotocol agreed in the handshake, or null. */
    String subprotocol();

    /**
     * The extensions in effect, in the form of a {@code Sec-WebSocket-Extensions} element (such as
     * {@code "permessage-deflate; server_no_context_takeover"}), or "" for none. It states what
     * this side applies: the server's answer, plus a {@code client_no_context_takeover} that a
     * client keeps to because its own configuration asked for it.
     */
    String extensions();

    /** The request target of the handshake ({@code /path?query}). */
    String requestTarget();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The service thread this connection runs on. */
    ServiceThread serviceThread();

    /** Stores one application object with this connection. */
    void attach(Object attachment);

    /** The object last given to {@link #attach}, or null. */
    <T> T attachment();
}
