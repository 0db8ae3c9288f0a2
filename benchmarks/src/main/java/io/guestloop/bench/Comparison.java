package io.guestloop.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole comparison, started by {@code benchmarks/run.sh}: the WebSocket echo load runs
 * ({@link LoadRuns}), the JMH benchmarks ({@link MicroRuns}) and the idle footprint
 * ({@link FootprintRuns}) and the TLS cells ({@link TlsRuns}); prints the tables as markdown and writes them into
 * {@code BENCHMARKS.md} between its markers. The permessage-deflate cells ({@link DeflateRuns}) run only when
 * named ({@code --only deflate}) and print their table and targets without writing the file.
 *
 * <p>Options: {@code --rounds N} (load rounds per cell, default 1), {@code --key-rounds N} (rounds of
 * the workload the targets are set on, 64 B × 100 connections, default 3), {@code --cross-check-rounds N}
 * (rounds of that workload with the other generator framing, default 2; 0 skips it), {@code --warmup-ms},
 * {@code --measure-ms} (per load cell, default 2000 and 4000), {@code --only load|jmh|footprint|tls|deflate|executor}
 * (repeatable; {@code deflate} and {@code executor}, the {@link SerialHostRuns}, only when named, and they never write the file), {@code --out FILE} (default {@code BENCHMARKS.md} in the working directory),
 * {@code --no-write}, {@code --key-only} (only the 64 B × 100 connections workload) and
 * {@code --servers a,b,...} (only these of {@link EchoServer#KINDS}, in the load and footprint runs, where the
 * {@link EchoServer#TEXT_AS_BYTES} kinds run only in text cells, and of
 * {@link EchoServer#TLS_KINDS} in the TLS cells) and
 * {@code --workloads 64x100,16384x100t} (only these message size × connections cells; a trailing {@code t}
 * names an ASCII text cell, {@link Payload#TEXT}, which the full run has at 64 B and 16 KiB × 100 connections, and a
 * trailing {@code u} a text cell with ~10 % non-ASCII characters, {@link Payload#MIXED_TEXT}, at 16 KiB × 100); the last three
 * are for profiling a change or checking some targets and never write the file, as their table is partial; {@code --framing lean|codec}
 * (how the generator frames WebSocket messages, default lean: see {@link LoadGenerator.Framing}).
 *
 * <p><b>Threading:</b> the main thread only.
 */
public final class Comparison {

    static final String BEGIN = "<!-- BENCHMARK RESULTS BEGIN: written by io.guestloop.bench.Comparison -->";
    static final String END = "<!-- BENCHMARK RESULTS END -->";

    private static final long STARTED = System.nanoTime();

    /** How this run is set up. */
    record Settings(int rounds, int keyRounds, int crossCheckRounds, long warmupMs, long measureMs, String serverCpu, String generatorCpu,
                    List<String> serverJvm, List<String> generatorJvm, File logDir, boolean keyOnly, List<String> servers,
                    List<String> workloads, LoadGenerator.Framing framing, String command) {

        /** True when the binary cell of {@code size} bytes × {@code connections} is to run. */
        boolean runs(int size, int connections) {
            return runs(size, connections, Payload.BINARY);
        }

        /** True when the cell of {@code size} bytes × {@code connections} of {@code payload} messages is to run. */
        boolean runs(int size, int connections, Payload payload) {
            boolean key = size == LoadRuns.KEY_SIZE && connections == LoadRuns.KEY_CONNECTIONS && payload == Payload.BINARY;
            return (!keyOnly || key) && (workloads.isEmpty() || workloads.contains(size + "x" + connections + payload.suffix()));
        }
    }

    private Comparison() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = 1;
        int keyRounds = 3;
        int crossCheckRounds = 2;
        long warmupMs = 2000;
        long measureMs = 4000;
        List<String> only = new ArrayList<>();
        Path out = Path.of("BENCHMARKS.md");
        boolean write = true;
        boolean keyOnly = false;
        List<String> servers = List.of(EchoServer.KINDS);
        List<String> workloads = List.of();
        LoadGenerator.Framing framing = LoadGenerator.Framing.LEAN;
        List<String> extraServerJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--key-rounds" -> keyRounds = Integer.parseInt(args[++i]);
                case "--cross-check-rounds" -> crossCheckRounds = Integer.parseInt(args[++i]);
                case "--warmup-ms" -> warmupMs = Long.parseLong(args[++i]);
                case "--measure-ms" -> measureMs = Long.parseLong(args[++i]);
                case "--only" -> only.add(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-write" -> write = false;
                case "--key-only" -> keyOnly = true;
                case "--servers" -> servers = List.of(args[++i].split(","));
                case "--workloads" -> workloads = List.of(args[++i].split(","));
                case "--server-jvm" -> extraServerJvm.add(args[++i]);
                case "--framing" -> framing = LoadGenerator.Framing.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> {
                    System.err.println("unknown option " + args[i] + "; expected --rounds N, --key-rounds N, --cross-check-rounds N, --warmup-ms MS, --measure-ms MS, "
                            + "--only load|jmh|footprint|tls|deflate|executor, --out FILE, --no-write, --key-only, --servers a,b,..., --workloads SIZExCONNS[t|u],..., "
                            + "--framing lean|codec, --server-jvm OPTION (added to the servers' JVM options; repeatable)");
                    System.exit(2);
                }
            }
        }
        for (String server : servers) {
            EchoServer.checkKind(server);
        }
        if (keyOnly || !workloads.isEmpty() || servers.size() < EchoServer.KINDS.length || only.contains("executor")
                || only.contains("deflate") || !extraServerJvm.isEmpty()) {
            write = false; // a partial table, or one of tuned servers, must not replace the whole one in BENCHMARKS.md
        }
        boolean pin = Runtime.getRuntime().availableProcessors() >= 2 && tasksetWorks();
        Settings settings = new Settings(rounds, keyRounds, crossCheckRounds, warmupMs, measureMs, pin ? "0" : null, pin ? "1" : null,
                Stream.concat(Stream.of("-Xms1g", "-Xmx1g"), extraServerJvm.stream()).toList(), List.of("-Xms1g", "-Xmx1g"),
                new File("benchmarks/target/bench-logs"), keyOnly, servers, workloads, framing,
                ("benchmarks/run.sh " + String.join(" ", args)).trim());
        Machine before = Machine.now();
        progress("machine: " + before.describe() + (pin ? "; servers on CPU 0, generators on CPU 1"
                : "; NOT pinned (taskset missing or fewer than 2 CPUs)"));

        List<LoadRuns.Cell> load = only.isEmpty() || only.contains("load") ? new LoadRuns(settings).run() : List.of();
        List<MicroRuns.Row> micro = only.isEmpty() || only.contains("jmh") ? new MicroRuns(settings).run() : List.of();
        List<FootprintRuns.Footprint> footprint = only.isEmpty() || only.contains("footprint")
                ? new FootprintRuns(settings).run() : List.of();
        TlsRuns.Result tls = only.isEmpty() || only.contains("tls") ? new TlsRuns(settings).run() : null;
        // Asked for by name only: the deflate and serial-host cells print their own tables and never write the file.
        DeflateRuns.Result deflate = only.contains("deflate") ? new DeflateRuns(settings).run() : null;
        List<SerialHostRuns.Row> serialHosts = only.contains("executor") ? new SerialHostRuns().run() : List.of();

        Machine after = Machine.now();
        Duration took = Duration.ofNanos(System.nanoTime() - STARTED);
        String report = new Report(settings, pin, before, after, took, load, micro, footprint).markdown()
                + (tls == null ? "" : "\n" + new TlsReport(tls).markdown());
        if (only.isEmpty() || only.stream().anyMatch(o -> !o.equals("executor") && !o.equals("deflate"))) {
            System.out.println();
            System.out.println(report);
        }
        if (deflate != null) {
            System.out.println();
            System.out.println(new DeflateReport(deflate).markdown());
        }
        if (!serialHosts.isEmpty()) {
            System.out.println();
            System.out.println("### A guest client on the Swing event thread (executor backend) against nio");
            System.out.println();
            System.out.println(SerialHostRuns.markdown(serialHosts));
        }
        if (write) {
            writeBetweenMarkers(out, report);
            progress("written to " + out.toAbsolutePath());
        }
        System.exit(0);
    }

    /** Prints a progress line with the time since start. */
    static void progress(String line) {
        long s = (System.nanoTime() - STARTED) / 1_000_000_000L;
        System.out.printf("[%2d:%02d] %s%n", s / 60, s % 60, line);
        System.out.flush();
    }

    private static boolean tasksetWorks() {
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void writeBetweenMarkers(Path file, String report) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String block = BEGIN + "\n\n" + report + "\n" + END;
        if (b >= 0 && e > b) {
            text = text.substring(0, b) + block + text.substring(e + END.length());
        } else {
            text = text + (text.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** What the machine is and how busy it was. */
    record Machine(LocalDate date, int cpus, String cpuModel, String jdk, String loadAverage) {
        static Machine now() {
            String model = "unknown CPU";
            String load = "unknown";
            try {
                model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(model);
                String[] la = Files.readString(Path.of("/proc/loadavg")).split(" ");
                load = la[0] + " " + la[1] + " " + la[2];
            } catch (IOException ignored) {
                // not Linux: say unknown
            }
            String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                    + " (" + System.getProperty("java.vendor") + ")";
            return new Machine(LocalDate.now(), Runtime.getRuntime().availableProcessors(), model, jdk, load);
        }

        String describe() {
            return date + ", nproc " + cpus + " (" + cpuModel + "), " + jdk + ", load average " + loadAverage;
        }
    }
}
