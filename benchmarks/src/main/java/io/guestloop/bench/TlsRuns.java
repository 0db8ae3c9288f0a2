package io.guestloop.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The TLS cells ({@code --only tls}): WebSocket echo over TLS 1.3 at 64 B and 16 KiB × 100
 * connections (the echo runs of {@link LoadRuns} against {@code wss://}), handshakes per second
 * ({@link HandshakeGenerator}: new connection, TLS and WebSocket handshakes, one message, close) and
 * the heap of idle TLS connections ({@link FootprintRuns} against {@code wss://}), for every server
 * of {@link EchoServer#TLS_KINDS} asked for. Servers are pinned and interleaved as in the echo runs.
 *
 * <p><b>Threading:</b> one thread runs everything; the work happens in the child processes.
 */
final class TlsRuns {

    static final int[] SIZES = {64, 16 * 1024};
    static final int CONNECTIONS = 100;
    /** Sessions the handshake generator keeps going at once. */
    static final int SESSIONS = 32;
    /** Idle TLS connections of the footprint cell (fewer than the plain cell's: each costs a handshake to open). */
    static final int IDLE_CONNECTIONS = 2_000;

    /** Handshakes of one server over the rounds run, with the server process's CPU per handshake. */
    record Handshakes(String server, List<HandshakeGenerator.Result> rounds, List<Double> cpuPerHandshakeUs) {
        /** The median round by rate (the lower middle one for an even count). */
        int medianIndex() {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < rounds.size(); i++) {
                order.add(i);
            }
            order.sort((a, b) -> Double.compare(rounds.get(a).rate(), rounds.get(b).rate()));
            return order.get((order.size() - 1) / 2);
        }
    }

    /** What the TLS cells measured. */
    record Result(List<String> servers, List<LoadRuns.Cell> echo, List<Handshakes> handshakes, List<FootprintRuns.Footprint> idle) {
        boolean isEmpty() {
            return servers.isEmpty();
        }
    }

    private final Comparison.Settings settings;

    TlsRuns(Comparison.Settings settings) {
        this.settings = settings;
    }

    /** The TLS servers of this run: those named in {@code --servers}, or every one when none is named. */
    static List<String> servers(List<String> asked) {
        List<String> tls = asked.stream().filter(k -> Arrays.asList(EchoServer.TLS_KINDS).contains(k)).toList();
        return tls.isEmpty() ? List.of(EchoServer.TLS_KINDS) : tls;
    }

    Result run() {
        BenchTls.ensureKeystore(); // once, before any process needs it
        List<String> servers = servers(settings.servers());
        LoadRuns load = new LoadRuns(settings);
        List<LoadRuns.Cell> echo = new ArrayList<>();
        for (int size : SIZES) {
            if (settings.runs(size, CONNECTIONS)) {
                echo.addAll(load.workload(servers, size, CONNECTIONS, settings.rounds(), settings.framing()));
            }
        }
        List<Handshakes> handshakes = handshakes(servers);
        List<FootprintRuns.Footprint> idle = new ArrayList<>();
        FootprintRuns footprint = new FootprintRuns(settings);
        for (String kind : servers) {
            FootprintRuns.Footprint f = footprint.measure(kind, IDLE_CONNECTIONS);
            idle.add(f);
            Comparison.progress(String.format(Locale.ROOT, "tls footprint %-24s %d conns: %,.0f B/conn heap, idle loop %.3f ms CPU/s%s",
                    kind, f.opened(), f.heapPerConnection(), f.idleCpuMsPerSecond(), f.error() == null ? "" : "  error=" + f.error()));
        }
        return new Result(servers, echo, handshakes, idle);
    }

    private List<Handshakes> handshakes(List<String> servers) {
        List<List<HandshakeGenerator.Result>> rounds = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        for (String ignored : servers) {
            rounds.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (int s = 0; s < servers.size(); s++) {
                String kind = servers.get(s);
                double[] cpuNanos = new double[1];
                HandshakeGenerator.Result r = handshakeCell(kind, cpuNanos);
                rounds.get(s).add(r);
                cpu.get(s).add(r.measured() == 0 ? Double.NaN : cpuNanos[0] / 1e3 / r.measured());
                Comparison.progress(String.format(Locale.ROOT,
                        "handshakes %-24s round %d: %,8.0f /s  p50 %8.1f us  p99 %8.1f us  server CPU %.0f us/handshake  generator busy %.0f%%%s",
                        kind, round + 1, r.rate(), r.p50us(), r.p99us(), cpu.get(s).get(round), 100 * r.generatorBusy(),
                        r.error() == null ? "" : "  failed=" + r.failed() + " error=" + r.error()));
            }
        }
        List<Handshakes> out = new ArrayList<>();
        for (int s = 0; s < servers.size(); s++) {
            out.add(new Handshakes(servers.get(s), rounds.get(s), cpu.get(s)));
        }
        return out;
    }

    /** One handshake round; {@code cpuNanos[0]} receives the server process's CPU time over its measured window. */
    private HandshakeGenerator.Result handshakeCell(String kind, double[] cpuNanos) {
        File logs = settings.logDir();
        try (ChildProcess server = ChildProcess.start("server " + kind, settings.serverCpu(), settings.serverJvm(),
                ServerMain.class, List.of(kind), new File(logs, "server-" + kind + ".log"))) {
            int port = ServerMain.port(server);
            try (ChildProcess generator = ChildProcess.start("handshake generator for " + kind, settings.generatorCpu(),
                    settings.generatorJvm(), HandshakeGenerator.class,
                    List.of(EchoServer.uri(kind, port), String.valueOf(SESSIONS), String.valueOf(settings.warmupMs()),
                            String.valueOf(settings.measureMs())),
                    new File(logs, "handshake-generator.log"))) {
                long limit = (settings.warmupMs() + settings.measureMs()) / 1000 + 180;
                generator.awaitLine("measuring", limit);
                long cpu0 = ServerMain.processCpu(server);
                HandshakeGenerator.Result r = HandshakeGenerator.Result.parse(generator.awaitLine("HANDSHAKES ", limit));
                cpuNanos[0] = ServerMain.processCpu(server) - cpu0;
                return r;
            }
        } catch (RuntimeException e) {
            return HandshakeGenerator.Result.failed(e.getMessage());
        }
    }
}
