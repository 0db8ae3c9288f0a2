package io.guestloop.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * {@code cancelService()} against Netty's {@code EventLoop.execute}:
 * <ul>
 *   <li>{@link #wakeupLatency}: one call from a JMH thread, then a spin until the loop thread has
 *       delivered it ({@code onEventWaitCancelled} ran, or the task ran): the time from the call to
 *       the callback, with the loop asleep in its selector at each call. Sampled, for percentiles.</li>
 *   <li>{@link #calls1Thread}, {@link #calls4Threads}: calls as fast as the callers go, the loop
 *       draining in parallel; for the guest most calls find a wake-up already pending and coalesce,
 *       for Netty every call queues a task; {@code flag-cas-execute} is the bare coalescing pattern
 *       (check a flag, compare-and-set, execute) on a Netty loop, the floor a coalesced call aims at.</li>
 * </ul>
 *
 * <p><b>Threading:</b> JMH's worker threads call; the loop thread delivers.
 */
@State(Scope.Benchmark)
public class WakeupBench {

    @Param({"guest-nio", "guest-netty", "guest-vertx", "guest-legacy", "netty-execute", "flag-cas-execute"})
    public String target;

    private Wakers wakers;

    @Setup
    public void start() {
        wakers = Wakers.of(target);
    }

    @TearDown
    public void stop() {
        wakers.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public long wakeupLatency() {
        long before = wakers.delivered();
        wakers.wake();
        long now;
        while ((now = wakers.delivered()) == before) {
            Thread.onSpinWait();
        }
        return now;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public void calls1Thread() {
        wakers.wake();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public void calls4Threads() {
        wakers.wake();
    }
}
