package io.guestloop.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The permessage-deflate comparison: a chat-like JSON workload (messages of about 200 B and 4 KiB,
 * 1,024 different ones of each size, realistic keys and words) echoed by each server over 100
 * connections with one message in flight each, with context takeover and without. The generator is
 * Netty's own WebSocket client with Netty's permessage-deflate, on one loop thread of this process;
 * the server runs on its own loop thread. Per cell it reports the echo rate, the server loop
 * thread's CPU time per message, and the bytes on the wire per message (both directions, frames
 * and all, counted at the generator's sockets), against the uncompressed bytes.
 *
 * <p>{@code java io.guestloop.bench.DeflateRuns [warmupMs] [measureMs]} prints one line per cell.
 * Both loops share the machine, so the CPU figures compare servers under the same load, not
 * absolute costs.
 *
 * <p><b>Threading:</b> the main thread drives; each connection's state lives on the generator's loop.
 */
public final class DeflateRuns {

    static final int CONNECTIONS = 100;
    static final int[] SIZES = {200, 4096};
    static final String[] SERVERS = {"guest-nio", "guest-netty", "netty", "vertx"};

    private DeflateRuns() {
    }

    public static void main(String[] args) throws Exception {
        long warmupMs = args.length > 0 ? Long.parseLong(args[0]) : 2000;
        long measureMs = args.length > 1 ? Long.parseLong(args[1]) : 5000;
        System.out.println("| messages | compression | server | msg/s | server CPU us/msg | wire B/msg | of uncompressed |");
        System.out.println("|---|---|---|---:|---:|---:|---:|");
        for (int size : SIZES) {
            List<String> messages = chatJson(size, 1024);
            for (Deflate deflate : Deflate.values()) {
                for (String kind : SERVERS) {
                    System.out.println(cell(kind, deflate, messages, warmupMs, measureMs));
                }
            }
        }
    }

    static EchoServer server(String kind, Deflate deflate) {
        return switch (kind) {
            case "guest-nio" -> new GuestEchoServer("nio", deflate);
            case "guest-netty" -> new GuestEchoServer("netty", deflate);
            case "netty" -> new NettyEchoServer("nio", deflate);
            case "vertx" -> new VertxEchoServer(deflate);
            default -> throw new IllegalArgumentException("no compression run for server " + kind);
        };
    }

    private static String cell(String kind, Deflate deflate, List<String> messages, long warmupMs, long measureMs)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (EchoServer server = server(kind, deflate)) {
            int port = server.start();
            long loopId = server.loopThread().getId();
            Counters counters = new Counters();
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("deflate-generator"),
                    NioIoHandler.newFactory());
            try {
                URI uri = URI.create("ws://127.0.0.1:" + port + "/echo");
                CountDownLatch open = new CountDownLatch(CONNECTIONS);
                for (int i = 0; i < CONNECTIONS; i++) {
                    connect(group, uri, deflate, messages, i, counters, open);
                }
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(open.getCount() + " connections did not open");
                }
                Thread.sleep(warmupMs);
                long m0 = counters.messages.get();
                long b0 = counters.wireBytes.get();
                long p0 = counters.payloadBytes.get();
                long c0 = threads.getThreadCpuTime(loopId);
                long t0 = System.nanoTime();
                Thread.sleep(measureMs);
                long messagesDone = counters.messages.get() - m0;
                long wire = counters.wireBytes.get() - b0;
                long payload = counters.payloadBytes.get() - p0;
                long cpu = threads.getThreadCpuTime(loopId) - c0;
                double seconds = (System.nanoTime() - t0) / 1e9;
                return String.format(Locale.ROOT, "| %d B JSON | %s | %s | %,.0f | %.2f | %.0f | %.0f %% |",
                        messages.get(0).length(), deflate.name().toLowerCase(Locale.ROOT).replace('_', ' '), kind,
                        messagesDone / seconds, cpu / 1e3 / messagesDone, wire / (double) messagesDone,
                        100.0 * wire / payload);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /** What the generator counts, over all its connections. */
    private static final class Counters {
        final AtomicLong messages = new AtomicLong();
        /** Bytes read and written by the sockets, after the handshake as much as before. */
        final AtomicLong wireBytes = new AtomicLong();
        /** The uncompressed bytes of the messages both ways. */
        final AtomicLong payloadBytes = new AtomicLong();
    }

    private static void connect(MultiThreadIoEventLoopGroup group, URI uri, Deflate deflate, List<String> messages, int index,
                                Counters counters, CountDownLatch open) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                .allowExtensions(deflate != Deflate.OFF).maxFramePayloadLength(1 << 20).build();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new WireCounter(counters.wireBytes), new HttpClientCodec(), new HttpObjectAggregator(8192));
                        if (deflate != Deflate.OFF) {
                            ch.pipeline().addLast(new WebSocketClientExtensionHandler(deflate.generator()));
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(config), new Chatter(messages, index, counters, open));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", uri.getPort()));
    }

    /** Counts every byte the socket reads and writes. */
    private static final class WireCounter extends ChannelDuplexHandler {
        private final AtomicLong bytes;

        WireCounter(AtomicLong bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes.addAndGet(size(msg));
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            bytes.addAndGet(size(msg));
            ctx.write(msg, promise);
        }

        private static long size(Object msg) {
            return msg instanceof ByteBuf b ? b.readableBytes() : msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
        }
    }

    /** Sends a chat line, and the next one as soon as its echo is back. */
    private static final class Chatter extends ChannelInboundHandlerAdapter {
        private final List<String> messages;
        private final Counters counters;
        private final CountDownLatch open;
        private int next;

        Chatter(List<String> messages, int index, Counters counters, CountDownLatch open) {
            this.messages = messages;
            this.counters = counters;
            this.open = open;
            this.next = index;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open.countDown();
                send(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                counters.payloadBytes.addAndGet(2L * frame.content().readableBytes());
                counters.messages.incrementAndGet();
                send(ctx);
            }
            ReferenceCountUtil.release(msg);
        }

        private void send(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(new TextWebSocketFrame(messages.get(next++ % messages.size())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** {@code count} different chat-like JSON messages of about {@code size} characters. */
    static List<String> chatJson(int size, int count) {
        String[] words = {"hello", "the", "server", "loop", "message", "thread", "guest", "netty", "chat", "room", "is", "on",
                "and", "a", "for", "with", "latency", "fine", "today", "deploy", "release", "build", "green", "test"};
        Random random = new Random(size);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder("[");
            while (sb.length() < size - 120) {
                sb.append("{\"type\":\"chat\",\"from\":\"visitor-").append(random.nextInt(500))
                        .append("\",\"at\":").append(1_764_590_000_000L + random.nextInt(1_000_000))
                        .append(",\"text\":\"");
                int n = 3 + random.nextInt(12);
                for (int w = 0; w < n; w++) {
                    sb.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
                }
                sb.append("\"},");
            }
            sb.append("{\"type\":\"time\",\"text\":\"").append(random.nextInt(24)).append(':').append(10 + random.nextInt(50))
                    .append("\",\"thread\":\"guestloop-nio-0\"}]");
            out.add(sb.toString());
        }
        return out;
    }
}
