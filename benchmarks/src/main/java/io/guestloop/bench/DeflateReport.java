package io.guestloop.bench;

import java.util.Locale;
import java.util.Optional;

import static io.guestloop.bench.Report.median;
import static io.guestloop.bench.Report.num;
import static io.guestloop.bench.Report.percent;

/**
 * The markdown of the permessage-deflate cells ({@link DeflateRuns}): the echo table, the memory of
 * idle connections, and the targets, each checked per workload and mode against native Netty: guest
 * CPU per message ≤ 1.0 × native Netty's, bytes on the wire within {@link #WIRE_TOLERANCE} of native
 * Netty's; native memory per idle connection is reported for every server.
 *
 * <p><b>Threading:</b> one thread; a report is built once.
 */
final class DeflateReport {

    /** How far a guest's wire bytes per message may be from native Netty's. */
    static final double WIRE_TOLERANCE = 0.05;
    private static final String NETTY = "netty";

    private final DeflateRuns.Result result;
    private final StringBuilder md = new StringBuilder();

    DeflateReport(DeflateRuns.Result result) {
        this.result = result;
    }

    String markdown() {
        line("#### permessage-deflate (chat-like JSON, %d connections)", DeflateRuns.CONNECTIONS);
        line("");
        line("Generator: Netty's WebSocket client with Netty's permessage-deflate (level 6, 15-bit window), one loop thread, one "
                + "message in flight per connection, cycling through 1,024 different JSON messages. *takeover*: both sides keep "
                + "their window between messages; *no takeover*: the client offers `server_no_context_takeover; "
                + "client_no_context_takeover` and every server accepts both. CPU/msg: the server loop thread's CPU time over the "
                + "measured window per echo (median of the rounds); wire: bytes both directions at the generator's sockets, frame "
                + "headers included, per echo, and against the uncompressed payload both ways.");
        line("");
        line("| messages | compression | server | msg/s | CPU/msg µs | × netty CPU | wire B/msg | of uncompressed | negotiated |");
        line("|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (DeflateRuns.Cell c : result.cells()) {
            DeflateGenerator.Result r = c.median();
            double cpu = median(c.cpuPerMessage());
            line("| %s | %s | %s | %s%s | %.2f | %s | %.0f | %s | %d/%d |", size(c.size()), mode(c.mode()), c.server(), num(r.rate()),
                    r.error() == null ? "" : " (" + r.error() + ")", cpu,
                    c.server().equals(NETTY) ? "" : cpu(c.size(), c.mode(), NETTY).map(o -> String.format(Locale.ROOT, "%.2f", cpu / o))
                            .orElse("–"),
                    r.wirePerMessage(), percent(r.ofUncompressed()), r.negotiated(), r.connections());
        }
        line("");
        line("Idle connections: %,d per server and mode, each after one ~200 B message each way, held open. Resident: the server "
                + "process's resident-set growth per connection (its %s heap is touched in advance, so this is native memory and "
                + "thread-local buffers, within a few KiB per connection); heap: used heap after full collections.",
                DeflateRuns.IDLE_CONNECTIONS, String.join(" ", DeflateRuns.IDLE_SERVER_JVM));
        line("");
        line("| compression | server | connections | negotiated | native (resident) per connection | heap per connection |");
        line("|---|---|---:|---:|---:|---:|");
        for (DeflateRuns.Idle f : result.idle()) {
            line("| %s | %s | %,d | %,d | %.1f KiB | %,.0f B |%s", mode(f.mode()), f.server(), f.opened(), f.negotiated(),
                    f.residentPerConnection(), f.heapPerConnection(), f.error() == null ? "" : " " + f.error());
        }
        line("");
        targets();
        return md.toString();
    }

    private void targets() {
        line("| deflate target | figure | verdict |");
        line("|---|---|---|");
        for (String guest : result.servers()) {
            if (!guest.startsWith("guest-")) {
                continue;
            }
            for (int size : DeflateRuns.SIZES) {
                for (Deflate mode : new Deflate[] {Deflate.TAKEOVER, Deflate.NO_TAKEOVER}) {
                    Optional<DeflateRuns.Cell> g = cell(size, mode, guest);
                    Optional<DeflateRuns.Cell> o = cell(size, mode, NETTY);
                    if (g.isEmpty() || o.isEmpty()) {
                        continue; // workload not run
                    }
                    String what = String.format(Locale.ROOT, "%s, %s, %s", guest, size(size), mode(mode));
                    double gc = median(g.get().cpuPerMessage());
                    double oc = median(o.get().cpuPerMessage());
                    if (Double.isNaN(gc) || Double.isNaN(oc)) {
                        line("| %s: CPU/msg ≤ 1.0 × netty | not measured | NOT met |", what);
                    } else {
                        line("| %s: CPU/msg ≤ 1.0 × netty | %.2f µs vs %.2f µs = %.2f | %s |", what, gc, oc, gc / oc,
                                gc <= oc ? "met" : "NOT met");
                    }
                    double gw = g.get().median().wirePerMessage();
                    double ow = o.get().median().wirePerMessage();
                    if (Double.isNaN(gw) || Double.isNaN(ow)) {
                        line("| %s: wire bytes within 5 %% of netty | not measured | NOT met |", what);
                    } else {
                        line("| %s: wire bytes within 5 %% of netty | %.0f B vs %.0f B = %.3f | %s |", what, gw, ow, gw / ow,
                                Math.abs(gw / ow - 1) <= WIRE_TOLERANCE ? "met" : "NOT met");
                    }
                }
            }
        }
        boolean reported = result.servers().stream().allMatch(s -> result.idle().stream()
                .anyMatch(f -> f.server().equals(s) && f.error() == null && f.opened() > 0));
        line("| native memory per idle connection reported for every server | %d servers × %d modes | %s |", result.servers().size(),
                Deflate.values().length, reported ? "met" : "NOT met");
        line("");
    }

    private Optional<DeflateRuns.Cell> cell(int size, Deflate mode, String server) {
        return result.cells().stream().filter(c -> c.size() == size && c.mode() == mode && c.server().equals(server)).findFirst();
    }

    private Optional<Double> cpu(int size, Deflate mode, String server) {
        return cell(size, mode, server).map(c -> median(c.cpuPerMessage())).filter(v -> !v.isNaN());
    }

    private static String mode(Deflate mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB JSON" : bytes + " B JSON";
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
