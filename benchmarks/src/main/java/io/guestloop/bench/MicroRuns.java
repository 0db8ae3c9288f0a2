package io.guestloop.bench;

import io.guestloop.bench.jmh.EchoBench;
import io.guestloop.bench.jmh.FrameParsingBench;
import io.guestloop.bench.jmh.TimerBench;
import io.guestloop.bench.jmh.Utf8Bench;
import io.guestloop.bench.jmh.WakeupBench;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The JMH part, run through JMH's own runner (one forked JVM per benchmark and parameter set) with
 * short settings so that the whole comparison fits its time budget: 1 fork, 2 warm-up and 3
 * measured iterations of 1 s each (sample-time runs: 3 warm-up and 5 measured). The forks are not
 * pinned: the wake-up benchmarks need one CPU for the caller and one for the loop.
 *
 * <p><b>Threading:</b> one thread; JMH forks the work.
 */
final class MicroRuns {

    /** One line of the JMH table. {@code value} in {@code unit}; percentiles only for latency rows. */
    record Row(String group, String name, double value, double error, String unit, double p50, double p99,
               double p999, double min, double max) {
    }

    private final Comparison.Settings settings;

    MicroRuns(Comparison.Settings settings) {
        this.settings = settings;
    }

    List<Row> run() {
        List<Row> rows = new ArrayList<>();
        for (String target : new String[] {"guest-nio", "guest-netty", "guest-vertx", "guest-legacy", "netty-execute"}) {
            for (RunResult r : jmh(WakeupBench.class.getName() + ".wakeupLatency$", "target", target, true)) {
                Result<?> p = r.getPrimaryResult();
                rows.add(new Row("wake-up latency", target, p.getScore(), p.getScoreError(), "µs",
                        p.getStatistics().getPercentile(50), p.getStatistics().getPercentile(99),
                        p.getStatistics().getPercentile(99.9), p.getStatistics().getMin(), p.getStatistics().getMax()));
            }
        }
        for (String method : new String[] {"calls1Thread", "calls4Threads"}) {
            for (String target : new String[] {"guest-nio", "guest-netty", "netty-execute", "flag-cas-execute"}) {
                for (RunResult r : jmh(WakeupBench.class.getName() + "." + method + "$", "target", target, false)) {
                    rows.add(scaled("wake-up calls/s, " + (method.equals("calls1Thread") ? "1 thread" : "4 threads"),
                            target, r, 1e-6, "M calls/s"));
                }
            }
        }
        for (String backend : new String[] {"nio", "netty"}) {
            for (RunResult r : jmh(TimerBench.class.getName() + ".scheduleAndCancel$", "backend", backend, false)) {
                rows.add(scaled("timer schedule+cancel", "guest-" + backend + ", " + r.getParams().getParam("placement"),
                        r, 1, "ns/pair"));
            }
        }
        for (RunResult r : jmh(FrameParsingBench.class.getName() + ".parse$", null, null, false)) {
            int size = Integer.parseInt(r.getParams().getParam("size"));
            rows.add(scaled("frame parsing (wire bytes)", r.getParams().getParam("kind") + " " + size + " B frames",
                    r, FrameParsingBench.wireBytes(size) / 1e6, "MB/s"));
        }
        for (RunResult r : jmh(Utf8Bench.class.getName() + ".validate$", null, null, false)) {
            rows.add(scaled("UTF-8 validation", r.getParams().getParam("text") + " text", r, Utf8Bench.BYTES / 1e6, "MB/s"));
        }
        for (String backend : new String[] {"nio", "netty"}) {
            for (RunResult r : jmh(EchoBench.class.getName() + ".echo$", "backend", backend, false, true)) {
                String name = "guest-" + backend + ", " + r.getParams().getParam("kind") + " " + r.getParams().getParam("size") + " B";
                rows.add(scaled("echo path, " + EchoBench.MESSAGES + " in flight", name, r, 1e-3, "k msg/s"));
                Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
                if (alloc != null) {
                    rows.add(new Row("echo path allocation (-prof gc, whole JVM)", name, alloc.getScore(), alloc.getScoreError(),
                            "B/msg", Double.NaN, Double.NaN, Double.NaN, alloc.getStatistics().getMin(), alloc.getStatistics().getMax()));
                }
            }
        }
        return rows;
    }

    private static Row scaled(String group, String name, RunResult r, double factor, String unit) {
        Result<?> p = r.getPrimaryResult();
        return new Row(group, name, p.getScore() * factor, p.getScoreError() * factor, unit, Double.NaN, Double.NaN,
                Double.NaN, p.getStatistics().getMin() * factor, p.getStatistics().getMax() * factor);
    }

    private Collection<RunResult> jmh(String include, String param, String value, boolean sampled) {
        return jmh(include, param, value, sampled, false);
    }

    /** @param gc true to run JMH's GC profiler ({@code -prof gc}) beside the benchmark */
    private Collection<RunResult> jmh(String include, String param, String value, boolean sampled, boolean gc) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(sampled ? 3 : 2)
                .measurementIterations(sampled ? 5 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementTime(TimeValue.seconds(1))
                .jvmArgs("-Xms1g", "-Xmx1g")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (param != null) {
            b.param(param, value);
        }
        if (gc) {
            b.addProfiler(GCProfiler.class);
        }
        try {
            Collection<RunResult> results = new Runner(b.build()).run();
            for (RunResult r : results) {
                StringBuilder params = new StringBuilder();
                for (String key : r.getParams().getParamsKeys()) {
                    params.append(' ').append(key).append('=').append(r.getParams().getParam(key));
                }
                Comparison.progress(String.format(Locale.ROOT, "jmh %s%s: %.3f ± %.3f %s", include.replaceAll(".*\\.", ""),
                        params, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                        r.getPrimaryResult().getScoreUnit()));
            }
            return results;
        } catch (RunnerException e) {
            Comparison.progress("jmh " + include + " " + value + " failed: " + e.getMessage());
            return List.of();
        }
    }
}
