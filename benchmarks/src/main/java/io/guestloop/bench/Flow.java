package io.guestloop.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;

/**
 * One connection of a {@link LoadGenerator}, as the last handler of its pipeline: its messages in
 * flight and their send times (echoes come back in order). It keeps {@link Messages#inflight} in
 * flight, sends one more for every echo while the {@link Tally} says so, counts each echo there, and
 * tells its {@link Connections} once whether it opened or failed.
 *
 * <p><b>Threading:</b> the generator's loop thread only.
 */
final class Flow extends ChannelInboundHandlerAdapter {
    private final Messages messages;
    private final Tally tally;
    private final Connections owner;
    private final long[] sentAt;
    private int head;
    private int count;
    private long rawBytes;
    private LeanFrames.Counter echoes;
    private boolean open;
    /** Echoes in the measured window; a flow with none there has stalled. */
    long receivedInWindow;
    private Channel channel;

    Flow(Messages messages, Tally tally, Connections owner) {
        this.messages = messages;
        this.tally = tally;
        this.owner = owner;
        this.sentAt = new long[messages.inflight];
    }

    /** Fills the flight: sends messages until {@link Messages#inflight} are out, then flushes. */
    void start() {
        while (count < messages.inflight) {
            send();
        }
        channel.flush();
    }

    private void send() {
        sentAt[(head + count) % messages.inflight] = System.nanoTime();
        count++;
        channel.write(messages.next(), channel.voidPromise());
    }

    /** Lean framing: {@code n} more frames at once, as few writes as the pool allows (usually one). */
    private void sendLean(int n) {
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sentAt[(head + count + i) % messages.inflight] = now;
        }
        count += n;
        while (n > 0) {
            ByteBuf run = messages.lean.next(n);
            n -= messages.lean.framesIn(run);
            channel.write(run, channel.voidPromise());
        }
    }

    private void received() {
        received(System.nanoTime());
        if (tally.sending) {
            send();
        }
    }

    /** Counts one echo that arrived at {@code now}; sends nothing. */
    private void received(long now) {
        long rtt = now - sentAt[head];
        head = (head + 1) % messages.inflight;
        count--;
        if (tally.echoed(rtt)) {
            receivedInWindow++;
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        if (!messages.websocket) {
            open = true;
            owner.settled(this, null);
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            open = true;
            if (messages.lean == null) {
                owner.settled(this, null);
            } else {
                // Netty's handshaker removes the HTTP codec in a task of its own; after that one,
                // take every WebSocket handler out too, so that bytes come and go as they are
                // (through TLS, when there is an SslHandler).
                ctx.channel().eventLoop().execute(() -> {
                    ChannelPipeline pipeline = ctx.pipeline();
                    for (ChannelHandler h : new ArrayList<>(pipeline.toMap().values())) {
                        if (h != this && !(h instanceof SslHandler) && pipeline.context(h) != null) {
                            pipeline.remove(h);
                        }
                    }
                    echoes = messages.lean.counter();
                    owner.settled(this, null);
                });
            }
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT && !open) {
            open = true;   // report once
            owner.settled(null, new IllegalStateException("handshake timed out"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (echoes != null && msg instanceof ByteBuf buf) {
                int n = Math.min(echoes.feed(buf), count);
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    received(now);
                }
                if (tally.sending && n > 0) {
                    sendLean(n);
                }
            } else if (messages.websocket) {
                if ((messages.kind.isText() ? msg instanceof TextWebSocketFrame : msg instanceof BinaryWebSocketFrame) && count > 0) {
                    WebSocketFrame frame = (WebSocketFrame) msg;
                    if (frame.content().readableBytes() != messages.size) {
                        throw new IllegalStateException("echo of " + frame.content().readableBytes()
                                + " bytes, expected " + messages.size);
                    }
                    received();
                }
            } else if (msg instanceof ByteBuf buf) {
                rawBytes += buf.readableBytes();
                while (rawBytes >= messages.size && count > 0) {
                    rawBytes -= messages.size;
                    received();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!open) {
            open = true;   // report once
            owner.settled(null, new IllegalStateException("connection closed before the WebSocket handshake completed"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!open) {
            open = true;   // report once
            owner.settled(null, cause);
        } else {
            owner.error(cause);
        }
        ctx.close();
    }
}
