package io.guestloop.bench;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Handshakes per second: each of C sessions, over and over, opens a new connection, does the TLS
 * handshake (a full one: no session is cached, see {@link BenchTls#generatorClient()}) and the
 * WebSocket upgrade with Netty's client, sends one 64 B binary message, waits for its echo and
 * closes; a session starts again when its connection has closed. One Netty loop thread runs them
 * all ({@link LoadGenerator#TRANSPORT}), as in the echo runs.
 *
 * <p>As a process: {@code HandshakeGenerator <wss-or-ws-uri> <sessions> <warmupMs> <measureMs>} prints a
 * {@code measuring} line when the measured window starts and one
 * {@code HANDSHAKES rate=... measured=... p50=... p99=... failed=... genbusy=... error=...} line at its end:
 * sessions completed per second over the measured window, sessions completed in it, the latency of a whole session in µs, sessions that failed, and
 * the generator loop thread's busy share.
 *
 * <p><b>Threading:</b> {@link #main} drives from the main thread; every session lives on the loop thread.
 */
public final class HandshakeGenerator {

    private static final int MESSAGE = 64;
    private static final int MAX_FAILURES = 1000;

    private final URI uri;
    private final SslContext tls;
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("handshake-generator"), NettyTransports.ioHandlers(LoadGenerator.TRANSPORT));
    private final EventLoop loop = group.next();
    private final byte[] payload = new byte[MESSAGE];
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    // Loop thread only.
    private boolean running = true;
    private boolean measuring;
    private long completed;
    private long failed;
    private String firstError;

    /** What a run measured. */
    record Result(double rate, long measured, double p50us, double p99us, long failed, double generatorBusy, String error) {

        String line() {
            return String.format(Locale.ROOT, "HANDSHAKES rate=%.1f measured=%d p50=%.1f p99=%.1f failed=%d genbusy=%.3f error=%s",
                    rate, measured, p50us, p99us, failed, generatorBusy, error == null ? "-" : error.replace(' ', '_'));
        }

        static Result parse(String line) {
            java.util.Map<String, String> kv = LoadGenerator.keyValues(line, "HANDSHAKES ");
            return new Result(Double.parseDouble(kv.get("rate")), Long.parseLong(kv.get("measured")), Double.parseDouble(kv.get("p50")),
                    Double.parseDouble(kv.get("p99")), Long.parseLong(kv.get("failed")),
                    Double.parseDouble(kv.get("genbusy")), kv.get("error").equals("-") ? null : kv.get("error"));
        }

        static Result failed(String error) {
            return new Result(0, 0, 0, 0, 0, Double.NaN, error);
        }
    }

    private HandshakeGenerator(URI uri) {
        this.uri = uri;
        this.tls = uri.getScheme().equals("wss") ? BenchTls.generatorClient() : null;
        ThreadLocalRandom.current().nextBytes(payload);
    }

    /** Runs {@code sessions} sessions against {@code uri} for the warm-up and the measured window; blocks for both. */
    static Result run(URI uri, int sessions, long warmupMs, long measureMs) {
        HandshakeGenerator g = new HandshakeGenerator(uri);
        try {
            return g.run(sessions, warmupMs, measureMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        } catch (Exception e) {
            return Result.failed(String.valueOf(e));
        } finally {
            g.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Result run(int sessions, long warmupMs, long measureMs) throws Exception {
        loop.execute(() -> {
            for (int i = 0; i < sessions; i++) {
                startSession();
            }
        });
        Thread.sleep(warmupMs);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] begin = onLoop(() -> {
            measuring = true;
            completed = 0;
            histogram.reset();
            return new long[] {System.nanoTime(), threads.getCurrentThreadCpuTime()};
        });
        System.out.println("measuring");   // the runner reads the server's CPU time now, and again at the end
        System.out.flush();
        Thread.sleep(measureMs);
        Object[] end = onLoop(() -> {
            measuring = false;
            running = false;
            return new Object[] {completed, System.nanoTime(), threads.getCurrentThreadCpuTime(), histogram.copy(), failed, firstError};
        });
        double seconds = ((Long) end[1] - begin[0]) / 1e9;
        Histogram h = (Histogram) end[3];
        return new Result((Long) end[0] / seconds, (Long) end[0], h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                (Long) end[4], ((Long) end[2] - begin[1]) / 1e9 / seconds, (String) end[5]);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** One session: connect, handshakes, one message, close; then the next one. */
    private void startSession() {
        if (!running) {
            return;
        }
        long startedAt = System.nanoTime();
        Session session = new Session(startedAt);
        NettyTransports.client(loop, LoadGenerator.TRANSPORT, tls, pipeline -> pipeline.addLast(new HttpClientCodec(),
                        new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri).handshakeTimeoutMillis(30_000).build()),
                        session))
                .connect(new InetSocketAddress(uri.getHost(), uri.getPort()))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        session.fail(f.cause());
                    }
                });
    }

    /** One connection's life: counts when its echo came back, starts the next session when it closed. */
    private final class Session extends ChannelInboundHandlerAdapter {
        private final long startedAt;
        private boolean echoed;
        private boolean ended;

        Session(long startedAt) {
            this.startedAt = startedAt;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload)));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof BinaryWebSocketFrame frame && !echoed) {
                    echoed = frame.content().readableBytes() == MESSAGE;
                    if (echoed) {
                        ctx.close();
                    } else {
                        fail(new IllegalStateException("echo of " + frame.content().readableBytes() + " bytes"));
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (echoed) {
                end();
            } else {
                fail(new IllegalStateException("closed before the echo came back"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!echoed) {
                fail(cause);
            }
            ctx.close();
        }

        private void end() {
            if (ended) {
                return;
            }
            ended = true;
            if (measuring) {
                completed++;
                histogram.recordValue(Math.min(System.nanoTime() - startedAt, histogram.getHighestTrackableValue()));
            }
            startSession();
        }

        void fail(Throwable cause) {
            if (ended) {
                return;
            }
            ended = true;
            failed++;
            if (firstError == null) {
                firstError = String.valueOf(cause);
            }
            if (failed >= MAX_FAILURES) {
                running = false; // a server that refuses everything ends the run instead of a storm of retries
            }
            startSession();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: HandshakeGenerator <wss://host:port/echo> <sessions> <warmupMs> <measureMs>");
            System.exit(2);
        }
        Result r = run(URI.create(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        System.out.println(r.line());
        System.out.flush();
        System.exit(0);
    }
}
