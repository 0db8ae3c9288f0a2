package io.guestloop.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of the permessage-deflate cells ({@link DeflateRuns}): Netty's own WebSocket
 * client with Netty's permessage-deflate (level 6, 15-bit window, as {@link Deflate#generator()}
 * offers it), on one loop thread, with one chat-like JSON message in flight per connection, cycling
 * through 1,024 different ones of about the asked size. It counts the echoes, the bytes its sockets
 * read and wrote (frames and all) and the uncompressed payload both ways.
 *
 * <p>{@code DeflateGenerator <uri> <off|takeover|no_takeover> <size> <connections> <warmupMs> <measureMs>}
 * prints {@code measuring} when the measured window starts and one {@code DEFLATE key=value ...}
 * line when it ends. {@code DeflateGenerator --idle <uri> <mode> <connections>} first opens and closes
 * {@link #WARM_CONNECTIONS} connections (one message each way), prints {@code warm}, waits for a
 * line {@code open} on stdin, then opens the connections, sends one ~200 B message on each, and once
 * every echo is back prints {@code opened N negotiated K} and holds them until stdin ends.
 *
 * <p><b>Threading:</b> the calling thread drives; each connection's state lives on the generator's loop.
 */
public final class DeflateGenerator {

    /** Connections of the idle mode's warm-up, opened and closed before the baseline. */
    static final int WARM_CONNECTIONS = 50;
    private static final long OPEN_SECONDS = 120;

    /** What one run measured; {@code negotiated} counts the connections with permessage-deflate in use. */
    record Result(long messages, double seconds, long wireBytes, long payloadBytes, int connections, int negotiated, String error) {

        static Result failed(String error) {
            return new Result(0, 0, 0, 0, 0, 0, error);
        }

        double rate() {
            return seconds == 0 ? 0 : messages / seconds;
        }

        /** Bytes on the wire, both directions, per echoed message. */
        double wirePerMessage() {
            return messages == 0 ? Double.NaN : wireBytes / (double) messages;
        }

        /** Wire bytes over the uncompressed payload bytes. */
        double ofUncompressed() {
            return payloadBytes == 0 ? Double.NaN : wireBytes / (double) payloadBytes;
        }

        String line() {
            return String.format(Locale.ROOT, "DEFLATE messages=%d seconds=%.3f wire=%d payload=%d connections=%d negotiated=%d error=%s",
                    messages, seconds, wireBytes, payloadBytes, connections, negotiated, error == null ? "-" : error.replace(' ', '_'));
        }

        static Result parse(String line) {
            Map<String, String> kv = LoadGenerator.keyValues(line, "DEFLATE ");
            return new Result(Long.parseLong(kv.get("messages")), Double.parseDouble(kv.get("seconds")), Long.parseLong(kv.get("wire")),
                    Long.parseLong(kv.get("payload")), Integer.parseInt(kv.get("connections")), Integer.parseInt(kv.get("negotiated")),
                    kv.get("error").equals("-") ? null : kv.get("error"));
        }
    }

    private final URI uri;
    private final Deflate mode;
    private final List<String> messages;
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("deflate-generator"),
            NioIoHandler.newFactory());
    private final AtomicLong echoes = new AtomicLong();
    /** Bytes read and written by the sockets. */
    private final AtomicLong wireBytes = new AtomicLong();
    /** The uncompressed bytes of the messages both ways. */
    private final AtomicLong payloadBytes = new AtomicLong();
    private final AtomicLong negotiated = new AtomicLong();
    private final List<Channel> channels = new ArrayList<>();

    private DeflateGenerator(URI uri, Deflate mode, int size) {
        this.uri = uri;
        this.mode = mode;
        this.messages = chatJson(size, 1024);
    }

    /** Loads {@code uri} with {@code connections} chatting connections and measures after {@code warmupMs}. */
    static Result run(URI uri, Deflate mode, int size, int connections, long warmupMs, long measureMs, Runnable onMeasuring)
            throws InterruptedException {
        DeflateGenerator g = new DeflateGenerator(uri, mode, size);
        try {
            String error = g.open(connections, true, null);
            if (error != null) {
                return Result.failed(error);
            }
            Thread.sleep(warmupMs);
            long m0 = g.echoes.get();
            long b0 = g.wireBytes.get();
            long p0 = g.payloadBytes.get();
            long t0 = System.nanoTime();
            onMeasuring.run();
            Thread.sleep(measureMs);
            long m = g.echoes.get() - m0;
            long b = g.wireBytes.get() - b0;
            long p = g.payloadBytes.get() - p0;
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(m, seconds, b, p, connections, (int) g.negotiated.get(), m == 0 ? "no echo in the measured window" : null);
        } finally {
            g.close();
        }
    }

    /**
     * Opens {@code count} connections; each sends a message when open and, when {@code chat}, the next one as
     * soon as its echo is back. {@code echoed}, when given, counts down on each connection's first echo.
     * Returns an error, or null when all opened.
     */
    private String open(int count, boolean chat, CountDownLatch echoed) throws InterruptedException {
        CountDownLatch open = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            channels.add(connect(i, chat, open, echoed));
        }
        if (!open.await(OPEN_SECONDS, TimeUnit.SECONDS)) {
            return open.getCount() + " of " + count + " connections did not open within " + OPEN_SECONDS + " s";
        }
        if (echoed != null && !echoed.await(OPEN_SECONDS, TimeUnit.SECONDS)) {
            return echoed.getCount() + " of " + count + " connections got no echo within " + OPEN_SECONDS + " s";
        }
        return null;
    }

    private Channel connect(int index, boolean chat, CountDownLatch open, CountDownLatch echoed) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                .allowExtensions(mode != Deflate.OFF).maxFramePayloadLength(1 << 20).build();
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new WireCounter(wireBytes), new HttpClientCodec(), new HttpObjectAggregator(8192));
                        if (mode != Deflate.OFF) {
                            ch.pipeline().addLast(new WebSocketClientExtensionHandler(mode.generator()));
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(config), new Chatter(index, chat, open, echoed));
                    }
                })
                .connect(new InetSocketAddress(uri.getHost(), uri.getPort())).channel();
    }

    private void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
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

    /** Sends a chat line when open, and (when chatting) the next one as soon as its echo is back. */
    private final class Chatter extends ChannelInboundHandlerAdapter {
        private final boolean chat;
        private final CountDownLatch open;
        private final CountDownLatch echoed;
        private boolean first = true;
        private int next;

        Chatter(int index, boolean chat, CountDownLatch open, CountDownLatch echoed) {
            this.chat = chat;
            this.open = open;
            this.echoed = echoed;
            this.next = index;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                if (ctx.pipeline().get(WebSocketExtensionDecoder.class) != null) {
                    negotiated.incrementAndGet();
                }
                open.countDown();
                send(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                payloadBytes.addAndGet(2L * frame.content().readableBytes());
                echoes.incrementAndGet();
                if (first && echoed != null) {
                    echoed.countDown();
                }
                first = false;
                if (chat) {
                    send(ctx);
                }
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

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--idle")) {
            idle(URI.create(args[1]), mode(args[2]), Integer.parseInt(args[3]));
            System.exit(0);
        }
        if (args.length != 6) {
            System.err.println("usage: DeflateGenerator <ws://host:port/echo> <off|takeover|no_takeover> <size> <connections> <warmupMs> "
                    + "<measureMs>\n   or: DeflateGenerator --idle <uri> <mode> <connections>");
            System.exit(2);
        }
        Result r = run(URI.create(args[0]), mode(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Long.parseLong(args[4]), Long.parseLong(args[5]), () -> {
                    System.out.println("measuring");
                    System.out.flush();
                });
        System.out.println(r.line());
        System.out.flush();
        System.exit(0);
    }

    static Deflate mode(String name) {
        return Deflate.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static void idle(URI uri, Deflate mode, int connections) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        DeflateGenerator warm = new DeflateGenerator(uri, mode, 200);
        String error = warm.open(WARM_CONNECTIONS, false, new CountDownLatch(WARM_CONNECTIONS));
        for (Channel c : warm.channels) {
            c.close().syncUninterruptibly();
        }
        warm.close();
        System.out.println(error == null ? "warm" : "error " + error);
        System.out.flush();
        for (String line; (line = in.readLine()) != null && !line.equals("open"); ) {
            // wait for the server's baseline
        }
        DeflateGenerator g = new DeflateGenerator(uri, mode, 200);
        error = g.open(connections, false, new CountDownLatch(connections));
        System.out.println("opened " + (error == null ? connections : 0) + " negotiated " + g.negotiated.get()
                + (error == null ? "" : " error " + error));
        System.out.flush();
        for (String line; (line = in.readLine()) != null && !line.equals("close"); ) {
            // hold the connections
        }
        g.close();
    }
}
