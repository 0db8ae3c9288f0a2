package io.guestloop.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Footprint of idle WebSocket connections: a server process (pinned like in the load runs)
 * reports its heap after full GCs, a generator process opens {@link #CONNECTIONS} WebSocket
 * connections and leaves them idle, the server reports its heap again and its loop thread's CPU
 * time at the start and end of {@link #IDLE_SECONDS} of idleness.
 *
 * <p><b>Threading:</b> one thread runs everything; the work happens in the child processes.
 */
final class FootprintRuns {

    static final int CONNECTIONS = 10_000;
    static final int IDLE_SECONDS = 10;
    static final String[] SERVERS = {"guest-nio", "guest-netty", "guest-netty-epoll", "guest-netty-io_uring", "guest-vertx",
            "guest-legacy", "netty", "netty-epoll", "netty-io_uring", "vertx"};

    /** Heap per connection in bytes and loop-thread CPU in ms per second of idleness. */
    record Footprint(String server, int opened, double heapPerConnection, double idleCpuMsPerSecond, String error) {
    }

    private final Comparison.Settings settings;

    FootprintRuns(Comparison.Settings settings) {
        this.settings = settings;
    }

    List<Footprint> run() {
        List<Footprint> out = new ArrayList<>();
        for (String kind : SERVERS) {
            if (!settings.servers().contains(kind)) {
                continue;
            }
            Footprint f = measure(kind, CONNECTIONS);
            out.add(f);
            Comparison.progress(String.format(Locale.ROOT, "footprint %-12s %d conns: %,.0f B/conn heap, idle loop %.3f ms CPU/s%s",
                    kind, f.opened(), f.heapPerConnection(), f.idleCpuMsPerSecond(), f.error() == null ? "" : "  error=" + f.error()));
        }
        return out;
    }

    /** Opens {@code connections} idle connections to a fresh {@code kind} server and measures it. */
    Footprint measure(String kind, int connections) {
        File logs = settings.logDir();
        try (ChildProcess server = ChildProcess.start("server " + kind, settings.serverCpu(), settings.serverJvm(),
                ServerMain.class, List.of(kind), new File(logs, "footprint-" + kind + ".log"))) {
            int port = ServerMain.port(server);
            long before = ServerMain.heap(server);
            try (ChildProcess generator = ChildProcess.start("idle generator", settings.generatorCpu(), settings.generatorJvm(),
                    LoadGenerator.class, List.of("--idle", EchoServer.uri(kind, port), String.valueOf(connections)),
                    new File(logs, "footprint-generator.log"))) {
                String[] opened = generator.awaitLine("opened ", 300).split(" ");
                int n = Integer.parseInt(opened[1]);
                long after = ServerMain.heap(server);
                long cpu0 = ServerMain.loopCounters(server)[0];
                long t0 = System.nanoTime();
                Thread.sleep(IDLE_SECONDS * 1000L);
                long cpu1 = ServerMain.loopCounters(server)[0];
                long t1 = System.nanoTime();
                double cpuMsPerS = (cpu1 - cpu0) / 1e6 / ((t1 - t0) / 1e9);
                return new Footprint(kind, n, n == 0 ? 0 : (after - before) / (double) n, cpuMsPerS,
                        n == connections ? null : String.join(" ", opened));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Footprint(kind, 0, 0, 0, "interrupted");
        } catch (RuntimeException e) {
            return new Footprint(kind, 0, 0, 0, e.getMessage());
        }
    }
}
