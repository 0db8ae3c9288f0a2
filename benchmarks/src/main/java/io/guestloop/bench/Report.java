package io.guestloop.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the results of one comparison run into markdown: the machine and settings, the echo table
 * with each guest figure as a ratio to native Netty, native Vert.x and raw NIO, the JMH table, the
 * footprint table and a check of every target.
 *
 * <p><b>Threading:</b> confined to the caller.
 */
final class Report {

    /** Bytes per message an allocation target allows for what is not the echo's (the JDK selector boxing file descriptors). */
    private static final int ALLOC_NOISE = 8;

    /**
     * The heap bytes of a {@code String} of {@code n} ASCII characters (one byte each): the object (a
     * 12-byte header, the array reference, the hash and two flags: 24 B) and its {@code byte[]} (a
     * 16-byte header and the bytes, padded to 8), on a 64-bit JVM with compressed class pointers.
     */
    static long asciiStringBytes(int n) {
        return 24 + ((16L + n + 7) & ~7L);
    }

    private final Comparison.Settings settings;
    private final boolean pinned;
    private final Comparison.Machine before;
    private final Comparison.Machine after;
    private final Duration took;
    private final List<LoadRuns.Cell> load;
    private final List<MicroRuns.Row> micro;
    private final List<FootprintRuns.Footprint> footprint;
    private final StringBuilder md = new StringBuilder();

    Report(Comparison.Settings settings, boolean pinned, Comparison.Machine before, Comparison.Machine after,
           Duration took, List<LoadRuns.Cell> load, List<MicroRuns.Row> micro, List<FootprintRuns.Footprint> footprint) {
        this.settings = settings;
        this.pinned = pinned;
        this.before = before;
        this.after = after;
        this.took = took;
        this.load = load;
        this.micro = micro;
        this.footprint = footprint;
    }

    String markdown() {
        line("### Latest run: %s", before.date());
        line("");
        line("- Machine: nproc %d, %s; JDK: %s.", before.cpus(), before.cpuModel(), before.jdk());
        line("- Load average (1/5/15 min) at start: %s; at end: %s.", before.loadAverage(), after.loadAverage());
        line("- Command: `%s` (the runner took %d min %02d s after the build).", settings.command(), took.toMinutes(), took.toSecondsPart());
        line("- Pinning: %s", pinned ? "every server JVM on CPU 0 (`taskset -c 0`), every load-generator JVM on CPU 1 "
                + "(`taskset -c 1`); JMH forks unpinned." : "none (taskset missing or fewer than 2 CPUs).");
        line("- Echo load: %d round(s) per cell (%d for 64 B × 100 connections, the targets' workload; servers "
                        + "interleaved round by round), %.1f s warm-up then %.1f s measured; every connection keeps %d "
                        + "messages in flight (closed loop), binary unless the size says text (valid UTF-8, ~10 %% of characters outside ASCII, the same bytes for every server); the generator on one Netty %s loop thread; server and generator JVMs `-Xms1g -Xmx1g`, default GC; "
                        + "then %d round(s) of the targets' workload with the other generator framing, as a cross-check.",
                settings.rounds(), Math.max(settings.rounds(), settings.keyRounds()), settings.warmupMs() / 1e3, settings.measureMs() / 1e3, LoadRuns.IN_FLIGHT,
                LoadGenerator.TRANSPORT, settings.crossCheckRounds());
        line("");
        if (!load.isEmpty()) {
            echoTable();
        }
        if (!micro.isEmpty()) {
            microTable();
        }
        if (!footprint.isEmpty()) {
            footprintTable();
        }
        targets();
        return md.toString();
    }

    private void echoTable() {
        LoadGenerator.Framing main = settings.framing();
        line("#### WebSocket echo");
        line("");
        line("Generator framing: %s. msg/s: messages echoed per second (median round); spread: the slowest and fastest "
                + "1-second window of every round. Latency: round trip from write to whole echo, in µs. CPU/msg: the server "
                + "loop thread's CPU time (ThreadMXBean) over the measured window, divided by the messages the server echoed in it "
                + "(median round). Alloc/msg: the bytes the server loop thread allocated (ThreadMXBean.getThreadAllocatedBytes) over the same window, divided by the same messages (median round). Server busy: CPU/msg × msg/s, the share of its CPU the server loop used. Generator busy: the "
                + "generator loop thread's CPU time over the measured window (median round). × columns: the guest's msg/s "
                + "divided by native Netty's (on the guest's own transport: guest-netty-epoll against netty-epoll), native "
                + "Vert.x's and raw NIO's in the same workload. Text: the guest servers without a suffix take each message as a "
                + "`String` and send a `String` back (validate, decode, encode); those ending in -utf8 (text rows only) take "
                + "its validated UTF-8 bytes and send the same bytes back (`onTextBytes`, `sendText(ByteBuffer)`), as native "
                + "Netty's echo does.", framingName(main));
        line("");
        rows(main);
        List<LoadRuns.Cell> check = load.stream().filter(c -> c.framing() != main).toList();
        if (!check.isEmpty()) {
            LoadGenerator.Framing other = check.get(0).framing();
            line("**Cross-check with generator framing %s**, %d round(s) of the targets' workload: the same servers when "
                    + "the generator spends more (or less) on each message.", framingName(other), check.get(0).rounds().size());
            line("");
            rows(other);
        }
    }

    private static String framingName(LoadGenerator.Framing framing) {
        return framing == LoadGenerator.Framing.LEAN
                ? "*lean* (Netty's client does the handshake; then frames masked in advance, echoes checked by header)"
                : "*codec* (Netty's frame encoder masks every frame at send time; Netty's decoder and aggregator read echoes)";
    }

    private void rows(LoadGenerator.Framing framing) {
        line("| size | conns | server | msg/s | spread (1-s windows) | p50 µs | p99 µs | p99.9 µs | CPU/msg µs | alloc/msg B | server busy | generator busy | × netty | × vertx | × raw nio |");
        line("|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LoadRuns.Cell c : load) {
            if (c.framing() != framing) {
                continue;
            }
            LoadGenerator.Result r = c.median();
            double lo = c.rounds().stream().mapToDouble(LoadGenerator.Result::minSecondRate).min().orElse(0);
            double hi = c.rounds().stream().mapToDouble(LoadGenerator.Result::maxSecondRate).max().orElse(0);
            String note = r.error() != null ? " (" + r.error() + ")" : r.stalled() > 0 ? " (" + r.stalled() + " stalled)" : "";
            boolean guest = c.server().startsWith("guest-");
            double cpu = median(c.cpuPerMessage());
            double alloc = median(c.allocatedPerMessage());
            double generator = median(c.rounds().stream().map(LoadGenerator.Result::generatorBusy).toList());
            line("| %s | %d | %s | %s%s | %s–%s | %.0f | %.0f | %.0f | %.2f | %s | %s | %s | %s | %s | %s |",
                    sizeName(c.size()) + c.payload().label(), c.connections(), c.server(),
                    num(r.rate()), note, num(lo), num(hi), r.p50us(), r.p99us(), r.p999us(), cpu,
                    Double.isNaN(alloc) ? "–" : num(alloc), percent(cpu * r.rate() / 1e6), percent(generator),
                    guest ? ratio(r.rate(), c, nativeNettyOf(c.server())) : "", guest ? ratio(r.rate(), c, "vertx") : "",
                    guest ? ratio(r.rate(), c, "raw-nio") : "");
        }
        line("");
    }

    /** The native Netty server on the same transport as guest server {@code guest}. */
    private static String nativeNettyOf(String guest) {
        String backend = guest.endsWith(EchoServer.TEXT_AS_BYTES)
                ? guest.substring(0, guest.length() - EchoServer.TEXT_AS_BYTES.length()) : guest;
        return backend.startsWith("guest-netty-") ? backend.substring("guest-".length()) : "netty";
    }

    /** The median of {@code values} (the lower middle one for an even count); NaN for none. */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[(sorted.length - 1) / 2];
    }

    /** A fraction as a whole percentage, "–" for NaN. */
    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * fraction);
    }

    private static String sizeName(int size) {
        return size >= 1024 ? size / 1024 + " KiB" : size + " B";
    }

    private String ratio(double rate, LoadRuns.Cell c, String other) {
        return cell(c.size(), c.connections(), c.payload(), other, c.framing()).map(x -> x.median().rate())
                .map(o -> o == 0 ? "–" : String.format(Locale.ROOT, "%.2f", rate / o)).orElse("–");
    }

    private Optional<Double> rate(int size, int connections, String server, LoadGenerator.Framing framing) {
        return cell(size, connections, Payload.BINARY, server, framing).map(x -> x.median().rate());
    }

    private Optional<LoadRuns.Cell> cell(int size, int connections, Payload payload, String server, LoadGenerator.Framing framing) {
        return load.stream().filter(x -> x.size() == size && x.connections() == connections && x.payload() == payload
                        && x.server().equals(server) && x.framing() == framing)
                .findFirst();
    }

    private void microTable() {
        line("#### JMH");
        line("");
        line("1 fork; 2 warm-up + 3 measured iterations of 1 s (wake-up latency: 3 + 5). ± is JMH's 99.9%% "
                + "confidence half-width; min–max are the iteration scores (for latency: the fastest and slowest sample).");
        line("");
        line("| benchmark | case | score | ± | min–max | p50 | p99 | p99.9 | unit |");
        line("|---|---|---:|---:|---|---:|---:|---:|---|");
        for (MicroRuns.Row r : micro) {
            line("| %s | %s | %s | %s | %s–%s | %s | %s | %s | %s |", r.group(), r.name(), dec(r.value()), dec(r.error()),
                    dec(r.min()), dec(r.max()), dec(r.p50()), dec(r.p99()), dec(r.p999()), r.unit());
        }
        line("");
    }

    private void footprintTable() {
        line("#### Idle footprint");
        line("");
        line("%,d idle WebSocket connections opened by a generator process; heap: used heap after full GCs with "
                + "the connections open minus before, divided by the connections; CPU: the loop thread's CPU time "
                + "(ThreadMXBean) over %d s of idleness.", FootprintRuns.CONNECTIONS, FootprintRuns.IDLE_SECONDS);
        line("");
        line("| server | connections open | heap per connection | idle loop CPU |");
        line("|---|---:|---:|---:|");
        for (FootprintRuns.Footprint f : footprint) {
            line("| %s | %,d%s | %,.0f B | %.3f ms/s |", f.server(), f.opened(), f.error() == null ? "" : " (" + f.error() + ")",
                    f.heapPerConnection(), f.idleCpuMsPerSecond());
        }
        line("");
    }

    private void targets() {
        line("#### Targets (checked automatically on this run)");
        line("");
        line("| target | figure | verdict |");
        line("|---|---|---|");
        if (!load.isEmpty()) {
            ratioTarget("guest-netty ≥ 1.0 × native Netty (100 conns, 64 B, msg/s)", "guest-netty", "netty", 1.0);
            for (String transport : new String[] {"epoll", "io_uring"}) {
                String guest = "guest-netty-" + transport;
                String nat = "netty-" + transport;
                for (int size : LoadRuns.SIZES) {
                    String w = "100 conns, " + sizeName(size);
                    ratioTarget(size, guest + " ≥ 1.0 × native Netty " + transport + " (" + w + ", msg/s)", guest, nat, 1.0);
                    cpuTarget(size, guest + " CPU/msg ≤ native Netty " + transport + " (" + w + ")", guest, nat);
                }
            }
            ratioTarget("guest-vertx ≥ 1.0 × native Vert.x (100 conns, 64 B, msg/s)", "guest-vertx", "vertx", 1.0);
            ratioTarget("guest-nio ≥ 0.8 × raw NIO echo (100 conns, 64 B, msg/s)", "guest-nio", "raw-nio", 0.8);
            for (String guest : new String[] {"guest-nio", "guest-netty"}) {
                for (int size : LoadRuns.SIZES) {
                    allocTarget(size, Payload.BINARY, guest);
                }
            }
            for (String guest : new String[] {"guest-nio", "guest-netty", "guest-nio-utf8", "guest-netty-utf8"}) {
                for (int size : LoadRuns.TEXT_SIZES) {
                    allocTarget(size, Payload.TEXT, guest);
                }
            }
            bigMessageTargets();
        }
        for (MicroRuns.Row r : micro) {
            if (r.group().equals("wake-up latency") && r.name().startsWith("guest-")) {
                line("| cancelService p99 wake-up ≤ 50 µs (%s) | %s µs | %s |", r.name(), dec(r.p99()), r.p99() <= 50 ? "met" : "NOT met");
            }
            if (r.group().startsWith("wake-up calls/s") && r.name().startsWith("guest-")) {
                line("| ≥ 10 M coalesced cancelService calls/s (%s, %s) | %s M/s | %s |", r.name(),
                        r.group().substring(r.group().indexOf(", ") + 2), dec(r.value()), r.value() >= 10 ? "met" : "NOT met");
                Optional<MicroRuns.Row> bare = micro.stream()
                        .filter(o -> o.group().equals(r.group()) && o.name().equals("flag-cas-execute")).findFirst();
                bare.ifPresent(b -> line("| coalesced cancelService ≥ 0.5 × the bare flag-CAS-execute pattern (%s, %s) | %s / %s = %.2f | %s |",
                        r.name(), r.group().substring(r.group().indexOf(", ") + 2), dec(r.value()), dec(b.value()),
                        r.value() / b.value(), r.value() >= 0.5 * b.value() ? "met" : "NOT met"));
            }
        }
        Optional<FootprintRuns.Footprint> onNio = footprint.stream().filter(f -> f.server().equals("guest-netty")).findFirst();
        for (FootprintRuns.Footprint f : footprint) {
            if (f.server().startsWith("guest-netty-") && onNio.isPresent()) {
                double nio = onNio.get().heapPerConnection();
                line("| idle heap per connection ≤ the guest's on NIO (%s) | %,.0f B vs %,.0f B | %s |", f.server(),
                        f.heapPerConnection(), nio, f.error() == null && f.heapPerConnection() <= nio ? "met" : "NOT met");
            }
            if (f.server().startsWith("guest-")) {
                line("| ≤ 2 KiB heap per idle connection (%s) | %,.0f B | %s |", f.server(), f.heapPerConnection(),
                        f.error() == null && f.heapPerConnection() <= 2048 ? "met" : "NOT met");
                line("| idle loop thread < 1 ms CPU/s (%s, %,d conns) | %.3f ms/s | %s |", f.server(), f.opened(),
                        f.idleCpuMsPerSecond(), f.error() == null && f.idleCpuMsPerSecond() < 1 ? "met" : "NOT met");
            }
        }
        line("");
    }

    private void ratioTarget(String name, String guest, String other, double needed) {
        ratioTarget(LoadRuns.KEY_SIZE, name, guest, other, needed);
    }

    private void ratioTarget(int size, String name, String guest, String other, double needed) {
        Optional<Double> g = rate(size, LoadRuns.KEY_CONNECTIONS, guest, settings.framing());
        Optional<Double> o = rate(size, LoadRuns.KEY_CONNECTIONS, other, settings.framing());
        if (g.isEmpty() || o.isEmpty() || o.get() == 0) {
            line("| %s | not measured | NOT met |", name);
            return;
        }
        double x = g.get() / o.get();
        line("| %s | %s / %s = %.2f | %s |", name, num(g.get()), num(o.get()), x, x >= needed ? "met" : "NOT met");
    }

    /** The guest's loop CPU per message at most the native server's, 100 connections, {@code size} bytes. */
    private void cpuTarget(int size, String name, String guest, String other) {
        Optional<Double> g = cpu(size, guest);
        Optional<Double> o = cpu(size, other);
        if (g.isEmpty() || o.isEmpty() || g.get().isNaN() || o.get().isNaN()) {
            line("| %s | not measured | NOT met |", name);
            return;
        }
        line("| %s | %.2f µs vs %.2f µs | %s |", name, g.get(), o.get(), g.get() <= o.get() ? "met" : "NOT met");
    }

    /**
     * Issue 19's targets at 16 KiB over 100 connections: the guest's CPU/msg on nio and netty at most
     * 1.1 × raw NIO's for binary and 1.5 × for validated text, and at most native Netty's and Vert.x's for
     * both; and over 1,000 connections the nio backend within 10 % of the netty one. The text targets are
     * judged on the guest that echoes the validated bytes (the -utf8 kinds), the work native Netty's echo
     * and raw NIO's do; the guest that decodes to a {@code String} and encodes it again is held to the same
     * limits on lines of its own, which say so.
     */
    private void bigMessageTargets() {
        int size = 16 * 1024;
        // Set on binary and ASCII text, as the issue measured them; mixed text is reported, not held to a target.
        cpuTargets(size, Payload.BINARY, "binary echo", "guest-nio", "guest-netty");
        cpuTargets(size, Payload.TEXT, "validated text echoed as bytes (onTextBytes, sendText(ByteBuffer))", "guest-nio-utf8", "guest-netty-utf8");
        cpuTargets(size, Payload.TEXT, "validated text echoed as a String (onText, sendText(String))", "guest-nio", "guest-netty");
        Optional<Double> nio = rate(size, 1000, "guest-nio", settings.framing());
        Optional<Double> netty = rate(size, 1000, "guest-netty", settings.framing());
        String name = "guest-nio ≥ 0.9 × guest-netty (1,000 conns, 16 KiB, msg/s)";
        if (nio.isEmpty() || netty.isEmpty() || netty.get() == 0) {
            line("| %s | not measured | NOT met |", name);
        } else {
            double x = nio.get() / netty.get();
            line("| %s | %s / %s = %.2f | %s |", name, num(nio.get()), num(netty.get()), x, x >= 0.9 ? "met" : "NOT met");
        }
    }

    /**
     * The CPU/msg targets of {@code guests} on one path ({@code what}): at most 1.1 × raw NIO's for binary and
     * 1.5 × for text, at most native Netty's and Vert.x's, 100 connections.
     */
    private void cpuTargets(int size, Payload payload, String what, String... guests) {
        double rawLimit = payload.isText() ? 1.5 : 1.1;
        for (String guest : guests) {
            for (String[] other : new String[][] {{"raw-nio", "raw NIO"}, {"netty", "native Netty"}, {"vertx", "native Vert.x"}}) {
                double limit = other[0].equals("raw-nio") ? rawLimit : 1.0;
                cpuRatioTarget(size, payload, String.format(Locale.ROOT, "%s %s: CPU/msg ≤ %.1f × %s (100 conns, %s)",
                        guest, what, limit, other[1], sizeName(size)), guest, other[0], limit);
            }
        }
    }

    /** The guest's loop CPU per message at most {@code limit} × the other server's, 100 connections. */
    private void cpuRatioTarget(int size, Payload payload, String name, String guest, String other, double limit) {
        Optional<Double> g = cell(size, LoadRuns.KEY_CONNECTIONS, payload, guest, settings.framing()).map(x -> median(x.cpuPerMessage()));
        Optional<Double> o = cell(size, LoadRuns.KEY_CONNECTIONS, payload, other, settings.framing()).map(x -> median(x.cpuPerMessage()));
        if (g.isEmpty() || o.isEmpty() || g.get().isNaN() || o.get().isNaN() || o.get() == 0) {
            line("| %s | not measured | NOT met |", name);
            return;
        }
        double x = g.get() / o.get();
        line("| %s | %.2f µs / %.2f µs = %.2f | %s |", name, g.get(), o.get(), x, x <= limit ? "met" : "NOT met");
    }

    /**
     * The loop thread's allocation per echoed message, 100 connections: nothing for binary and for text
     * echoed as bytes (8 B of measured noise allowed); for text echoed as a {@code String}, at most the
     * {@code String} the endpoint receives ({@link #asciiStringBytes}).
     */
    private void allocTarget(int size, Payload payload, String guest) {
        boolean string = payload.isText() && !guest.endsWith(EchoServer.TEXT_AS_BYTES);
        double limit = (string ? asciiStringBytes(size) : 0) + ALLOC_NOISE;
        String what = !payload.isText() ? "binary echo" : string ? "text echoed as a String (onText, sendText(String))"
                : "text echoed as bytes (onTextBytes, sendText(ByteBuffer))";
        String budget = string ? String.format(Locale.ROOT, "≤ the String it receives (%s B) + %d B/msg", num(asciiStringBytes(size)), ALLOC_NOISE)
                : "≤ " + ALLOC_NOISE + " B/msg";
        String name = guest + " " + what + ": allocates " + budget + " on its loop thread (100 conns, " + sizeName(size) + payload.label() + ")";
        Optional<Double> a = cell(size, LoadRuns.KEY_CONNECTIONS, payload, guest, settings.framing())
                .map(x -> median(x.allocatedPerMessage()));
        if (a.isEmpty() || a.get().isNaN()) {
            line("| %s | not measured | NOT met |", name);
            return;
        }
        line("| %s | %.1f B | %s |", name, a.get(), a.get() <= limit ? "met" : "NOT met");
    }

    private Optional<Double> cpu(int size, String server) {
        return cell(size, LoadRuns.KEY_CONNECTIONS, Payload.BINARY, server, settings.framing()).map(x -> median(x.cpuPerMessage()));
    }

    /** A whole number with thousands separators. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String dec(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    private void line(String format, Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
