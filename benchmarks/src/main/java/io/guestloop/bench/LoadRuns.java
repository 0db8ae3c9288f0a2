package io.guestloop.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WebSocket echo comparison: for every workload (message size × connections) every server in
 * {@link EchoServer#KINDS} is started in a JVM of its own, pinned to the server CPU, and the same
 * {@link LoadGenerator}, in a JVM pinned to the other CPU, loads it; then the server is stopped.
 * Servers are interleaved inside each workload so that a change in the machine's background load
 * hits every server of a row alike. At the end the key workload runs once more with the other
 * {@link LoadGenerator.Framing}, as a cross-check of how much the generator's own cost moves the figures.
 * Every workload is binary; the {@link #TEXT_SIZES} over {@link #KEY_CONNECTIONS} connections run once
 * more with {@link Payload#TEXT} messages (workload names {@code 64x100t}, {@code 16384x100t}), and
 * {@link #MIXED_TEXT_SIZE} once with {@link Payload#MIXED_TEXT} ({@code 16384x100u}), whose servers
 * validate UTF-8 where they do (raw NIO does not: it echoes bytes). Only the text workloads run the guest
 * servers whose endpoint echoes text as bytes ({@link EchoServer#TEXT_AS_BYTES}); in a binary one they
 * would repeat their {@code String}-path twins.
 *
 * <p><b>Threading:</b> one thread runs everything; the work happens in the child processes.
 */
final class LoadRuns {

    static final int[] SIZES = {64, 16 * 1024};
    static final int[] CONNECTIONS = {1, 100, 1000};
    /** The sizes of the text workloads, over {@link #KEY_CONNECTIONS} connections. */
    static final int[] TEXT_SIZES = {64, 16 * 1024};
    /** The size the mixed text (about 10 % non-ASCII characters) runs at, over {@link #KEY_CONNECTIONS} connections. */
    static final int MIXED_TEXT_SIZE = 16 * 1024;
    /** Messages each connection keeps in flight. */
    static final int IN_FLIGHT = 4;
    /** The workload the targets are set on: 64 B messages over 100 connections. */
    static final int KEY_SIZE = 64;
    static final int KEY_CONNECTIONS = 100;

    /** One measured cell: a workload on a server, over the rounds run. */
    record Cell(int size, int connections, Payload payload, String server, LoadGenerator.Framing framing, List<LoadGenerator.Result> rounds,
                List<Double> cpuPerMessage, List<Double> allocatedPerMessage) {
        LoadGenerator.Result best() {
            return rounds.stream().max((a, b) -> Double.compare(a.rate(), b.rate())).orElseThrow();
        }

        /** The median round by rate (the lower middle one for an even count). */
        LoadGenerator.Result median() {
            List<LoadGenerator.Result> sorted = new ArrayList<>(rounds);
            sorted.sort((a, b) -> Double.compare(a.rate(), b.rate()));
            return sorted.get((sorted.size() - 1) / 2);
        }
    }

    private final Comparison.Settings settings;

    LoadRuns(Comparison.Settings settings) {
        this.settings = settings;
    }

    List<Cell> run() {
        List<Cell> cells = new ArrayList<>();
        for (int size : SIZES) {
            for (int connections : CONNECTIONS) {
                boolean key = size == KEY_SIZE && connections == KEY_CONNECTIONS;
                if (!settings.runs(size, connections, Payload.BINARY)) {
                    continue;
                }
                int rounds = key ? Math.max(settings.rounds(), settings.keyRounds()) : settings.rounds();
                cells.addAll(workload(settings.servers(), size, connections, Payload.BINARY, rounds, settings.framing()));
            }
        }
        for (int size : TEXT_SIZES) {
            if (settings.runs(size, KEY_CONNECTIONS, Payload.TEXT)) {
                cells.addAll(workload(settings.servers(), size, KEY_CONNECTIONS, Payload.TEXT, settings.rounds(), settings.framing()));
            }
        }
        if (settings.runs(MIXED_TEXT_SIZE, KEY_CONNECTIONS, Payload.MIXED_TEXT)) {
            cells.addAll(workload(settings.servers(), MIXED_TEXT_SIZE, KEY_CONNECTIONS, Payload.MIXED_TEXT, settings.rounds(), settings.framing()));
        }
        if (settings.crossCheckRounds() > 0 && settings.runs(KEY_SIZE, KEY_CONNECTIONS, Payload.BINARY)) {
            LoadGenerator.Framing other = settings.framing() == LoadGenerator.Framing.LEAN
                    ? LoadGenerator.Framing.CODEC : LoadGenerator.Framing.LEAN;
            cells.addAll(workload(settings.servers(), KEY_SIZE, KEY_CONNECTIONS, Payload.BINARY, settings.crossCheckRounds(), other));
        }
        return cells;
    }

    /** The servers {@code kinds} on one binary workload, {@code rounds} times, interleaved round by round. */
    List<Cell> workload(List<String> kinds, int size, int connections, int rounds, LoadGenerator.Framing framing) {
        return workload(kinds, size, connections, Payload.BINARY, rounds, framing);
    }

    /**
     * The servers {@code asked} that run in {@code payload}'s workloads ({@link EchoServer#runsIn}) on one
     * workload, {@code rounds} times, interleaved round by round.
     */
    List<Cell> workload(List<String> asked, int size, int connections, Payload payload, int rounds, LoadGenerator.Framing framing) {
        List<String> kinds = asked.stream().filter(kind -> EchoServer.runsIn(kind, payload)).toList();
        List<List<LoadGenerator.Result>> perServer = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        List<List<Double>> alloc = new ArrayList<>();
        for (String ignored : kinds) {
            perServer.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
            alloc.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < kinds.size(); s++) {
                String kind = kinds.get(s);
                double[] loop = new double[3];
                LoadGenerator.Result r = runCell(kind, size, connections, payload, framing, loop);
                perServer.get(s).add(r);
                double messages = loop[2] >= 0 ? loop[2] : r.messages();
                cpu.get(s).add(messages == 0 ? Double.NaN : loop[0] / 1e3 / messages);
                alloc.get(s).add(messages == 0 || loop[1] < 0 ? Double.NaN : loop[1] / messages);
                Comparison.progress(String.format(Locale.ROOT,
                        "load %5d B%s x %4d conn  %-12s %s round %d: %,10.0f msg/s  p50 %8.1f us  p99 %8.1f us  loop CPU %.2f us/msg  alloc %.0f B/msg  generator busy %.0f%%%s",
                        size, payload.label(), connections, kind, framing.name().toLowerCase(Locale.ROOT), round + 1, r.rate(), r.p50us(), r.p99us(),
                        cpu.get(s).get(round), alloc.get(s).get(round), 100 * r.generatorBusy(),
                        r.error() == null && r.stalled() == 0 ? "" : "  stalled=" + r.stalled() + " error=" + r.error()));
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int s = 0; s < kinds.size(); s++) {
            cells.add(new Cell(size, connections, payload, kinds.get(s), framing, perServer.get(s), cpu.get(s), alloc.get(s)));
        }
        return cells;
    }

    /**
     * Runs one cell; {@code loop[0]} receives the server loop thread's CPU time (ns) over the
     * generator's measured window, {@code loop[1]} the bytes it allocated over the same window (-1
     * when the server JVM cannot tell), {@code loop[2]} the messages the server echoed over it (-1
     * when it does not count them). Accepting, the handshakes and the warm-up stay out: they are paid
     * once per connection, not per message. The three are read at the same instants, so that their
     * ratios do not carry the messages in flight, by which the generator's own count of the window
     * differs (up to 4 per connection).
     */
    LoadGenerator.Result runCell(String kind, int size, int connections, Payload payload, LoadGenerator.Framing framing, double[] loop) {
        File logs = settings.logDir();
        try (ChildProcess server = ChildProcess.start("server " + kind, settings.serverCpu(), settings.serverJvm(),
                ServerMain.class, List.of(kind), new File(logs, "server-" + kind + ".log"))) {
            int port = ServerMain.port(server);
            String uri = EchoServer.uri(kind, port);
            try (ChildProcess generator = ChildProcess.start("generator for " + kind, settings.generatorCpu(),
                    settings.generatorJvm(), LoadGenerator.class,
                    List.of(uri, String.valueOf(connections), String.valueOf(size), String.valueOf(IN_FLIGHT),
                            String.valueOf(settings.warmupMs()), String.valueOf(settings.measureMs()),
                            framing.name().toLowerCase(Locale.ROOT), payload.name().toLowerCase(Locale.ROOT)),
                    new File(logs, "generator.log"))) {
                long limit = (settings.warmupMs() + settings.measureMs()) / 1000 + 180;
                String opened = generator.awaitLine(limit, LoadGenerator.MEASURING, "RESULT ");
                if (opened.startsWith("RESULT ")) {
                    return LoadGenerator.Result.parse(opened); // no connection opened: nothing was measured
                }
                long[] start = ServerMain.loopCounters(server);
                generator.awaitLine(LoadGenerator.MEASURED, limit);
                long[] end = ServerMain.loopCounters(server);
                LoadGenerator.Result r = LoadGenerator.Result.parse(generator.awaitLine("RESULT ", limit));
                loop[0] = end[0] - start[0];
                loop[1] = start[1] < 0 || end[1] < 0 ? -1 : end[1] - start[1];
                long echoed = start[2] < 0 || end[2] < 0 ? -1 : end[2] - start[2];
                loop[2] = echoed < 0 ? -1 : EchoServer.speaksWebSocket(kind) ? echoed : (double) echoed / size;
                return r;
            }
        } catch (RuntimeException e) {
            return LoadGenerator.Result.failed(connections, 0, e.getMessage());
        }
    }
}
