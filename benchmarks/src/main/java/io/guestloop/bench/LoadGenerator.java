package io.guestloop.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load generator, built on Netty's own WebSocket client ({@code WebSocketClientProtocolHandler})
 * on ONE Netty loop thread ({@link #TRANSPORT}), so it shares no code with guestloop. After the handshake it frames
 * messages as {@link Framing} says: by default ({@link Framing#LEAN}) with frames masked in advance
 * and echoes checked by header, so that the generator is not the bottleneck; or ({@link Framing#CODEC})
 * with Netty's frame encoder, which masks every frame at send time, and decoder. Each of N connections keeps K messages of S bytes in flight
 * (binary, or text as {@link Payload} says; every message is the same bytes):
 * it sends K, and sends one more for every echo it gets back (a closed loop). The round-trip time
 * of a message runs from just before its write to the arrival of its whole echo, and goes into an
 * HdrHistogram. Against a raw byte echo the same loop sends S raw bytes per message and counts a
 * message back for every S bytes received.
 *
 * <p>As a process: {@code LoadGenerator <uri> <connections> <size> <inflight> <warmupMs> <measureMs> [lean|codec [binary|text]]}
 * prints {@code MEASURING} and {@code MEASURED} as its measured window opens and closes, then one
 * {@code RESULT key=value ...} line; {@code LoadGenerator --idle <uri> <connections>}
 * opens the connections, prints {@code opened N failed F}, and holds them until stdin says
 * {@code close} or ends. {@code uri} is {@code ws://host:port/echo}, {@code wss://host:port/echo} (TLS
 * with {@link BenchTls#generatorClient()}) or {@code raw://host:port}.
 *
 * <p><b>Threading:</b> {@link #run} and {@link #open} are called from one non-loop thread; every
 * connection's state lives on the single loop thread.
 */
public final class LoadGenerator implements AutoCloseable {

    /** How long opening every connection may take; 10,000 WebSocket handshakes take a few seconds. */
    private static final long OPEN_SECONDS = 120;

    /**
     * The generator's own transport: epoll where Netty's native library loads (cheaper per message
     * than NIO, so that the servers rather than the generator set the pace), else NIO. Not io_uring:
     * its kernel workers do part of the work outside the pinned generator thread, which would hide the
     * generator's cost from "generator busy" and take CPU from the server's core. Every server of a run
     * meets the same generator.
     */
    static final String TRANSPORT = Epoll.isAvailable() ? "epoll" : "nio";

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-generator"), NettyTransports.ioHandlers(TRANSPORT));
    private final EventLoop loop = group.next();
    private final Tally tally = new Tally();
    private final Connections connections;

    /** How the generator frames WebSocket messages once Netty's client has done the handshake. */
    public enum Framing {
        /** Frames masked in advance, echoes checked by header ({@link LeanFrames}): the server sets the pace. */
        LEAN,
        /** Netty's frame encoder (masking at send time) and decoder for every message: costlier for the generator. */
        CODEC
    }

    /** Per-run settings: where to, the shape of the load, the framing and what the messages carry. */
    public record Settings(URI uri, int connections, int size, int inflight, long warmupMs, long measureMs, Framing framing,
                           Payload payload) {
        /** Binary messages. */
        public Settings(URI uri, int connections, int size, int inflight, long warmupMs, long measureMs, Framing framing) {
            this(uri, connections, size, inflight, warmupMs, measureMs, framing, Payload.BINARY);
        }
    }

    /**
     * What a run measured; latencies in microseconds, rates in messages per second. {@code generatorBusy}
     * is the generator loop thread's CPU time over the measured window divided by the window: near 1,
     * the generator rather than the server may have set the pace.
     */
    public record Result(long messages, long total, double seconds, double rate, double minSecondRate, double maxSecondRate,
                         double p50us, double p99us, double p999us, double maxUs, int stalled, int failed, String error,
                         double generatorBusy) {

        /** A run that measured nothing, because of {@code error}. */
        static Result failed(int connections, int failed, String error) {
            return new Result(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, connections, failed, error, Double.NaN);
        }

        /** The {@code RESULT} line a generator process prints. */
        public String line() {
            return String.format(Locale.ROOT, "RESULT messages=%d total=%d seconds=%.3f rate=%.1f minrate=%.1f maxrate=%.1f "
                            + "p50=%.1f p99=%.1f p999=%.1f max=%.1f stalled=%d failed=%d genbusy=%.3f error=%s",
                    messages, total, seconds, rate, minSecondRate, maxSecondRate, p50us, p99us, p999us, maxUs, stalled, failed,
                    generatorBusy, error == null ? "-" : error.replace(' ', '_'));
        }

        /** Parses a {@link #line()}. */
        public static Result parse(String line) {
            java.util.Map<String, String> kv = keyValues(line, "RESULT ");
            return new Result(Long.parseLong(kv.get("messages")), Long.parseLong(kv.get("total")),
                    Double.parseDouble(kv.get("seconds")),
                    Double.parseDouble(kv.get("rate")), Double.parseDouble(kv.get("minrate")),
                    Double.parseDouble(kv.get("maxrate")), Double.parseDouble(kv.get("p50")),
                    Double.parseDouble(kv.get("p99")), Double.parseDouble(kv.get("p999")),
                    Double.parseDouble(kv.get("max")), Integer.parseInt(kv.get("stalled")),
                    Integer.parseInt(kv.get("failed")), kv.get("error").equals("-") ? null : kv.get("error"),
                    Double.parseDouble(kv.get("genbusy")));
        }
    }

    /** The {@code key=value} fields of a result line that starts with {@code prefix}. */
    static java.util.Map<String, String> keyValues(String line, String prefix) {
        java.util.Map<String, String> kv = new java.util.HashMap<>();
        for (String part : line.substring(prefix.length()).split(" ")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return kv;
    }

    private LoadGenerator(URI uri, int size, int inflight, Framing framing, Payload kind) {
        Messages messages = new Messages(uri, size, inflight, framing, kind);
        SslContext tls = uri.getScheme().equals("wss") ? BenchTls.generatorClient() : null;
        this.connections = new Connections(loop, uri, tls, messages, tally);
    }

    /** Opens the connections, warms up, measures, closes; blocks the caller for the whole run. */
    public static Result run(Settings s) throws InterruptedException {
        return run(s, () -> { }, () -> { });
    }

    /**
     * As {@link #run(Settings)}, running {@code onMeasuring} on the caller's thread as the measured
     * window opens and {@code onMeasured} as it closes (the process prints a line at each, so that its
     * parent can read the server's counters over the same window).
     */
    public static Result run(Settings s, Runnable onMeasuring, Runnable onMeasured) throws InterruptedException {
        try (LoadGenerator g = new LoadGenerator(s.uri(), s.size(), s.inflight(), s.framing(), s.payload())) {
            g.open(s.connections());
            Connections c = g.connections;
            Tally t = g.tally;
            int[] openedAndFailed = g.openedAndFailed();
            if (openedAndFailed[0] == 0) {
                return Result.failed(0, openedAndFailed[1], g.firstError());
            }
            g.onLoop(() -> {
                t.sending = true;
                for (Flow f : c.flows()) {
                    f.start();
                }
            });
            Thread.sleep(s.warmupMs());
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] begin = g.onLoop(() -> {
                t.histogram.reset();
                t.measured = 0;
                t.measuring = true;
                c.flows().forEach(f -> f.receivedInWindow = 0);
                return new long[] {System.nanoTime(), threads.getCurrentThreadCpuTime()};
            });
            onMeasuring.run();
            long start = begin[0];
            double minRate = Double.MAX_VALUE;
            double maxRate = 0;
            long previous = 0;
            long previousAt = start;
            long end = start + TimeUnit.MILLISECONDS.toNanos(s.measureMs());
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(end - now, TimeUnit.SECONDS.toNanos(1)))));
                long[] snap = g.onLoop(() -> new long[] {t.measured, System.nanoTime()});
                if (snap[1] - previousAt >= TimeUnit.MILLISECONDS.toNanos(500)) {
                    double r = (snap[0] - previous) * 1e9 / (snap[1] - previousAt);
                    minRate = Math.min(minRate, r);
                    maxRate = Math.max(maxRate, r);
                    previous = snap[0];
                    previousAt = snap[1];
                }
            }
            Object[] fin = g.onLoop(() -> {
                t.measuring = false;
                t.sending = false;
                int stalled = (int) c.flows().stream().filter(f -> f.receivedInWindow == 0).count();
                return new Object[] {t.measured, System.nanoTime(), t.histogram.copy(), stalled, t.total,
                    threads.getCurrentThreadCpuTime()};
            });
            onMeasured.run();
            long messages = (Long) fin[0];
            double seconds = ((Long) fin[1] - start) / 1e9;
            Histogram h = (Histogram) fin[2];
            return new Result(messages, (Long) fin[4], seconds, messages / seconds, minRate == Double.MAX_VALUE ? 0 : minRate, maxRate,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, (Integer) fin[3], g.openedAndFailed()[1], g.firstError(),
                    ((Long) fin[5] - begin[1]) / 1e9 / seconds);
        }
    }

    /**
     * Opens {@code connections} connections (WebSocket handshakes included), as many at a
     * time as {@link Connections} allows, and returns when each has opened or failed.
     */
    public void open(int connections) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        loop.execute(() -> this.connections.open(connections, latch));
        if (!latch.await(OPEN_SECONDS, TimeUnit.SECONDS)) {
            onLoop(() -> this.connections.giveUp(OPEN_SECONDS));
        }
    }

    /** How many connections opened and how many failed (for the idle mode's report). */
    int[] openedAndFailed() {
        return onLoop(connections::openedAndFailed);
    }

    /** The first error of the run, or null. */
    String firstError() {
        return onLoop(connections::firstError);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        try {
            return loop.submit(task).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the generator's loop did not answer within 60 s", e);
        }
    }

    private void onLoop(Runnable task) {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The line the process prints as its measured window opens. */
    static final String MEASURING = "MEASURING";
    /** The line the process prints as its measured window closes, before its {@code RESULT} line. */
    static final String MEASURED = "MEASURED";

    private static void phase(String line) {
        System.out.println(line);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--idle")) {
            try (LoadGenerator g = new LoadGenerator(URI.create(args[1]), 1, 1, Framing.CODEC, Payload.BINARY)) {
                g.open(Integer.parseInt(args[2]));
                int[] of = g.openedAndFailed();
                System.out.println("opened " + of[0] + " failed " + of[1] + (g.firstError() == null ? "" : " first error " + g.firstError()));
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null && !line.equals("close"); ) {
                    // hold the connections
                }
            }
            System.exit(0);
        }
        if (args.length < 6 || args.length > 8) {
            System.err.println("usage: LoadGenerator <ws://host:port/echo|raw://host:port> <connections> <size> <inflight> "
                    + "<warmupMs> <measureMs> [lean|codec [binary|text]]\n   or: LoadGenerator --idle <uri> <connections>");
            System.exit(2);
        }
        Framing framing = args.length >= 7 ? Framing.valueOf(args[6].toUpperCase(Locale.ROOT)) : Framing.LEAN;
        Payload kind = args.length == 8 ? Payload.valueOf(args[7].toUpperCase(Locale.ROOT)) : Payload.BINARY;
        Result r = run(new Settings(URI.create(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]), framing, kind),
                () -> phase(MEASURING), () -> phase(MEASURED));
        System.out.println(r.line());
        System.out.flush();
        System.exit(0);
    }
}
