package io.guestloop.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.net.URI;

/**
 * What every connection of one {@link LoadGenerator} sends: messages of {@link #size} bytes of one
 * {@link Payload} kind, {@link #inflight} of them in flight, framed as the URI's scheme and the
 * {@link LoadGenerator.Framing} say (WebSocket frames by Netty's encoder, frames masked in advance by
 * {@link LeanFrames}, or raw bytes).
 *
 * <p><b>Threading:</b> built on the caller's thread, then used only on the generator's loop thread
 * ({@link LeanFrames} is not thread-safe).
 */
final class Messages {

    /** {@code ws://} or {@code wss://} rather than {@code raw://}. */
    final boolean websocket;
    final int size;
    final int inflight;
    final Payload kind;
    /** One message's bytes, never released: each send writes a duplicate of it. */
    private final ByteBuf payload;
    /** Non-null for WebSocket runs with {@link LoadGenerator.Framing#LEAN} framing. */
    final LeanFrames lean;

    Messages(URI uri, int size, int inflight, LoadGenerator.Framing framing, Payload kind) {
        this.websocket = uri.getScheme().equals("ws") || uri.getScheme().equals("wss");
        if (!websocket && !uri.getScheme().equals("raw")) {
            throw new IllegalArgumentException("expected a ws://, wss:// or raw:// URI, got " + uri);
        }
        this.size = size;
        this.inflight = inflight;
        this.kind = kind;
        byte[] bytes = kind.message(size);
        this.payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
        this.lean = websocket && framing == LoadGenerator.Framing.LEAN ? new LeanFrames(bytes, kind) : null;
    }

    /** The next message to write: a lean frame, raw bytes, or a text or binary frame for Netty's encoder. */
    Object next() {
        return lean != null ? lean.next()
                : !websocket ? payload.duplicate()
                : kind.isText() ? new TextWebSocketFrame(payload.duplicate()) : new BinaryWebSocketFrame(payload.duplicate());
    }
}
