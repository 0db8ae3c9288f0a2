package io.guestloop.bench;

import java.util.Locale;
import java.util.Optional;

import static io.guestloop.bench.Report.median;
import static io.guestloop.bench.Report.num;
import static io.guestloop.bench.Report.percent;

/**
 * The markdown of the TLS cells ({@link TlsRuns}): echo over TLS, handshakes per second, the heap of
 * idle TLS connections, and the TLS targets, each checked against native Netty on the same engine:
 * guest CPU per message ≤ 1.0 × native Netty's, handshakes/s ≥ 1.0 × native Netty's, heap per idle TLS
 * connection ≤ 4 KiB.
 *
 * <p><b>Threading:</b> one thread; a report is built once.
 */
final class TlsReport {

    /** The TLS targets' bound on the heap of one idle TLS connection. */
    static final int IDLE_HEAP_LIMIT = 4096;

    private final TlsRuns.Result tls;
    private final StringBuilder md = new StringBuilder();

    TlsReport(TlsRuns.Result tls) {
        this.tls = tls;
    }

    String markdown() {
        line("#### TLS (WebSocket over TLS 1.3)");
        line("");
        line("Server certificate: EC P-256, self-signed (`keytool`), TLS 1.3 only. The generator's engine: %s, the same "
                + "for every server, with no session cache (every connection is a full handshake). Servers ending in `-tls` run "
                + "the JDK's engine, those ending in `-tls-openssl` Netty's OpenSSL engine (`netty-tcnative-boringssl-static`). "
                + "CPU/msg: the server loop thread's CPU time per message, as in the plain echo table. CPU/handshake: the whole "
                + "server process's CPU time over the measured window (every thread: an engine may run handshake work off the "
                + "loop) divided by the sessions completed in it. A session: connect, TLS handshake, WebSocket upgrade, one 64 B "
                + "message and its echo, close; %d sessions at once.", BenchTls.generatorEngine(), TlsRuns.SESSIONS);
        line("");
        line("| size | conns | server | msg/s | p50 µs | p99 µs | CPU/msg µs | server busy | generator busy | × netty (same engine) |");
        line("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        for (LoadRuns.Cell c : tls.echo()) {
            LoadGenerator.Result r = c.median();
            double cpu = median(c.cpuPerMessage());
            String note = r.error() != null ? " (" + r.error() + ")" : r.stalled() > 0 ? " (" + r.stalled() + " stalled)" : "";
            line("| %s | %d | %s | %s%s | %.0f | %.0f | %.2f | %s | %s | %s |", size(c.size()), c.connections(), c.server(),
                    num(r.rate()), note, r.p50us(), r.p99us(), cpu, percent(cpu * r.rate() / 1e6),
                    percent(median(c.rounds().stream().map(LoadGenerator.Result::generatorBusy).toList())),
                    c.server().startsWith("guest-") ? echoRate(c.size(), nettyOf(c.server()))
                            .map(o -> String.format(Locale.ROOT, "%.2f", r.rate() / o)).orElse("–") : "");
        }
        line("");
        line("| server | handshakes/s | p50 session µs | p99 session µs | server CPU/handshake µs | generator busy | failed | × netty (same engine) |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (TlsRuns.Handshakes h : tls.handshakes()) {
            HandshakeGenerator.Result r = h.rounds().get(h.medianIndex());
            line("| %s | %s%s | %.0f | %.0f | %.0f | %s | %d | %s |", h.server(), num(r.rate()),
                    r.error() == null ? "" : " (" + r.error() + ")", r.p50us(), r.p99us(), median(h.cpuPerHandshakeUs()),
                    percent(r.generatorBusy()), r.failed(),
                    h.server().startsWith("guest-") ? handshakeRate(nettyOf(h.server()))
                            .map(o -> String.format(Locale.ROOT, "%.2f", r.rate() / o)).orElse("–") : "");
        }
        line("");
        line("| server | idle TLS connections open | heap per connection | idle loop CPU |");
        line("|---|---:|---:|---:|");
        for (FootprintRuns.Footprint f : tls.idle()) {
            line("| %s | %,d | %,.0f B | %.3f ms/s |", f.server(), f.opened(), f.heapPerConnection(), f.idleCpuMsPerSecond());
        }
        line("");
        targets();
        return md.toString();
    }

    private void targets() {
        line("| TLS target | figure | verdict |");
        line("|---|---|---|");
        for (String guest : tls.servers()) {
            if (!guest.startsWith("guest-")) {
                continue;
            }
            String netty = nettyOf(guest);
            for (int size : TlsRuns.SIZES) {
                Optional<Double> g = echoCpu(size, guest);
                Optional<Double> o = echoCpu(size, netty);
                if (g.isEmpty() || o.isEmpty() || g.get().isNaN() || o.get().isNaN()) {
                    line("| %s CPU/msg ≤ %s (%s × %d) | not measured | NOT met |", guest, netty, size(size), TlsRuns.CONNECTIONS);
                } else {
                    line("| %s CPU/msg ≤ %s (%s × %d) | %.2f µs vs %.2f µs | %s |", guest, netty, size(size), TlsRuns.CONNECTIONS,
                            g.get(), o.get(), g.get() <= o.get() ? "met" : "NOT met");
                }
            }
            Optional<Double> g = handshakeRate(guest);
            Optional<Double> o = handshakeRate(netty);
            if (g.isEmpty() || o.isEmpty() || o.get() == 0) {
                line("| %s handshakes/s ≥ 1.0 × %s | not measured | NOT met |", guest, netty);
            } else {
                line("| %s handshakes/s ≥ 1.0 × %s | %s / %s = %.2f | %s |", guest, netty, num(g.get()), num(o.get()),
                        g.get() / o.get(), g.get() >= o.get() ? "met" : "NOT met");
            }
            tls.idle().stream().filter(f -> f.server().equals(guest)).findFirst().ifPresent(f ->
                    line("| ≤ 4 KiB heap per idle TLS connection (%s) | %,.0f B | %s |", guest, f.heapPerConnection(),
                            f.error() == null && f.heapPerConnection() <= IDLE_HEAP_LIMIT ? "met" : "NOT met"));
        }
        line("");
    }

    /** Native Netty on the same engine as guest server {@code guest} (NIO transport). */
    static String nettyOf(String guest) {
        return guest.endsWith("-tls-openssl") ? "netty-tls-openssl" : "netty-tls";
    }

    private Optional<Double> echoRate(int size, String server) {
        return tls.echo().stream().filter(c -> c.size() == size && c.server().equals(server)).findFirst().map(c -> c.median().rate());
    }

    private Optional<Double> echoCpu(int size, String server) {
        return tls.echo().stream().filter(c -> c.size() == size && c.server().equals(server)).findFirst()
                .map(c -> median(c.cpuPerMessage()));
    }

    private Optional<Double> handshakeRate(String server) {
        return tls.handshakes().stream().filter(h -> h.server().equals(server)).findFirst()
                .map(h -> h.rounds().get(h.medianIndex()).rate());
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
