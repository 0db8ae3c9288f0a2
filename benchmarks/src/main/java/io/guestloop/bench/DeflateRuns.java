package io.guestloop.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The permessage-deflate cells ({@code --only deflate}): a chat-like JSON workload (messages of about
 * 200 B and 4 KiB, see {@link DeflateGenerator#chatJson}) echoed over {@link #CONNECTIONS} connections,
 * one message in flight each, with compression off, with context takeover and without, by each server
 * of {@link #SERVERS}. As in {@link LoadRuns}, each server runs in a JVM of its own ({@link ServerMain})
 * pinned to the server CPU and the generator ({@link DeflateGenerator}: Netty's client with Netty's
 * permessage-deflate) in another pinned to the other CPU; servers are interleaved round by round. Per
 * cell: the echo rate, the server loop thread's CPU time per message over the measured window, and
 * the bytes on the wire per message counted at the generator. Then, per server and mode, the memory
 * of {@link #IDLE_CONNECTIONS} idle connections that each sent one ~200 B message each way: the server
 * process's resident-set growth (its heap is fixed and touched in advance, so that growth is native
 * memory: codecs, buffers, thread stacks) and its heap growth, per connection.
 *
 * <p><b>Threading:</b> one thread runs everything; the work happens in the child processes.
 */
final class DeflateRuns {

    static final int CONNECTIONS = 100;
    static final int[] SIZES = {200, 4096};
    static final String[] SERVERS = {"guest-nio", "guest-netty", "netty", "vertx"};
    /** Idle connections of the memory cells. */
    static final int IDLE_CONNECTIONS = 1_000;
    /** The memory cells' server JVM: a fixed heap touched in advance, so that the resident set grows by native memory only. */
    static final List<String> IDLE_SERVER_JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    /** One measured cell: a workload and mode on a server, over the rounds run. */
    record Cell(int size, Deflate mode, String server, List<DeflateGenerator.Result> rounds, List<Double> cpuPerMessage) {
        /** The median round by rate (the lower middle one for an even count). */
        DeflateGenerator.Result median() {
            List<DeflateGenerator.Result> sorted = new ArrayList<>(rounds);
            sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
            return sorted.get((sorted.size() - 1) / 2);
        }
    }

    /** The memory of idle connections on one server in one mode, per connection. */
    record Idle(String server, Deflate mode, int opened, int negotiated, double residentPerConnection, double heapPerConnection,
                String error) {
    }

    /** What the deflate cells measured. */
    record Result(List<String> servers, List<Cell> cells, List<Idle> idle) {
    }

    private final Comparison.Settings settings;

    DeflateRuns(Comparison.Settings settings) {
        this.settings = settings;
    }

    /** The server {@code kind} of {@link #SERVERS} with permessage-deflate as {@code deflate} says, not started. */
    static EchoServer server(String kind, Deflate deflate) {
        return switch (kind) {
            case "guest-nio" -> new GuestEchoServer("nio", deflate);
            case "guest-netty" -> new GuestEchoServer("netty", deflate);
            case "netty" -> new NettyEchoServer("nio", deflate);
            case "vertx" -> new VertxEchoServer(deflate);
            default -> throw new IllegalArgumentException("no compression run for server " + kind + "; expected one of "
                    + String.join(", ", SERVERS));
        };
    }

    /** The deflate servers of this run: those named in {@code --servers}, or every one when none is named. */
    static List<String> servers(List<String> asked) {
        List<String> named = Arrays.stream(SERVERS).filter(asked::contains).toList();
        return named.isEmpty() ? List.of(SERVERS) : named;
    }

    Result run() {
        List<String> servers = servers(settings.servers());
        List<Cell> cells = new ArrayList<>();
        for (int size : SIZES) {
            if (!settings.runs(size, CONNECTIONS)) {
                continue;
            }
            for (Deflate mode : Deflate.values()) {
                cells.addAll(workload(servers, size, mode));
            }
        }
        List<Idle> idle = new ArrayList<>();
        for (Deflate mode : Deflate.values()) {
            for (String kind : servers) {
                Idle f = idle(kind, mode);
                idle.add(f);
                Comparison.progress(String.format(Locale.ROOT, "deflate idle %-11s %-11s %d conns (%d negotiated): %.1f KiB/conn resident, %,.0f B/conn heap%s",
                        kind, name(mode), f.opened(), f.negotiated(), f.residentPerConnection(), f.heapPerConnection(),
                        f.error() == null ? "" : "  error=" + f.error()));
            }
        }
        return new Result(servers, cells, idle);
    }

    /** Every server on one workload and mode, {@code settings.rounds()} times, interleaved round by round. */
    private List<Cell> workload(List<String> kinds, int size, Deflate mode) {
        List<List<DeflateGenerator.Result>> perServer = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        for (String ignored : kinds) {
            perServer.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (int s = 0; s < kinds.size(); s++) {
                double[] loopNanos = new double[1];
                DeflateGenerator.Result r = runCell(kinds.get(s), size, mode, loopNanos);
                perServer.get(s).add(r);
                cpu.get(s).add(r.messages() == 0 ? Double.NaN : loopNanos[0] / 1e3 / r.messages());
                Comparison.progress(String.format(Locale.ROOT,
                        "deflate %4d B %-11s %-11s round %d: %,8.0f msg/s  loop CPU %.2f us/msg  wire %.0f B/msg (%.0f %% of uncompressed)  negotiated %d/%d%s",
                        size, name(mode), kinds.get(s), round + 1, r.rate(), cpu.get(s).get(round), r.wirePerMessage(),
                        100 * r.ofUncompressed(), r.negotiated(), r.connections(), r.error() == null ? "" : "  error=" + r.error()));
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int s = 0; s < kinds.size(); s++) {
            cells.add(new Cell(size, mode, kinds.get(s), perServer.get(s), cpu.get(s)));
        }
        return cells;
    }

    /** One round of one cell; {@code loopNanos[0]} receives the server loop thread's CPU time over the measured window. */
    private DeflateGenerator.Result runCell(String kind, int size, Deflate mode, double[] loopNanos) {
        File logs = settings.logDir();
        try (ChildProcess server = ChildProcess.start("server " + kind, settings.serverCpu(), settings.serverJvm(),
                ServerMain.class, List.of(kind, name(mode)), new File(logs, "deflate-server-" + kind + ".log"))) {
            int port = ServerMain.port(server);
            try (ChildProcess generator = ChildProcess.start("deflate generator for " + kind, settings.generatorCpu(),
                    settings.generatorJvm(), DeflateGenerator.class,
                    List.of(EchoServer.uri(kind, port), name(mode), String.valueOf(size), String.valueOf(CONNECTIONS),
                            String.valueOf(settings.warmupMs()), String.valueOf(settings.measureMs())),
                    new File(logs, "deflate-generator.log"))) {
                long limit = (settings.warmupMs() + settings.measureMs()) / 1000 + 180;
                generator.awaitLine("measuring", limit);
                long cpu0 = ServerMain.loopCounters(server)[0];
                DeflateGenerator.Result r = DeflateGenerator.Result.parse(generator.awaitLine("DEFLATE ", limit));
                loopNanos[0] = ServerMain.loopCounters(server)[0] - cpu0;
                return r;
            }
        } catch (RuntimeException e) {
            return DeflateGenerator.Result.failed(e.getMessage());
        }
    }

    /** The memory cell of {@code kind} in {@code mode}. */
    private Idle idle(String kind, Deflate mode) {
        File logs = settings.logDir();
        try (ChildProcess server = ChildProcess.start("server " + kind, settings.serverCpu(), IDLE_SERVER_JVM,
                ServerMain.class, List.of(kind, name(mode)), new File(logs, "deflate-idle-" + kind + ".log"))) {
            int port = ServerMain.port(server);
            try (ChildProcess generator = ChildProcess.start("deflate idle generator", settings.generatorCpu(), settings.generatorJvm(),
                    DeflateGenerator.class, List.of("--idle", EchoServer.uri(kind, port), name(mode), String.valueOf(IDLE_CONNECTIONS)),
                    new File(logs, "deflate-idle-generator.log"))) {
                generator.awaitLine("warm", 300);
                long[] before = memory(server);
                generator.send("open");
                String[] opened = generator.awaitLine("opened ", 300).split(" ");
                int n = Integer.parseInt(opened[1]);
                long[] after = memory(server);
                return new Idle(kind, mode, n, Integer.parseInt(opened[3]), n == 0 ? 0 : (after[1] - before[1]) / (double) n,
                        n == 0 ? 0 : (after[0] - before[0]) / (double) n, n == IDLE_CONNECTIONS ? null : String.join(" ", opened));
            }
        } catch (RuntimeException e) {
            return new Idle(kind, mode, 0, 0, 0, 0, e.getMessage());
        }
    }

    /** The server's heap after full collections (bytes) and then its resident set (KiB). */
    private static long[] memory(ChildProcess server) {
        return new long[] {ServerMain.heap(server), ServerMain.resident(server)};
    }

    /** The mode as the processes' arguments and the tables spell it. */
    static String name(Deflate mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
