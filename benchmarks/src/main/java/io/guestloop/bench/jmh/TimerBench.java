package io.guestloop.bench.jmh;

import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.Timer;
import io.guestloop.bench.GuestHost;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A guest timer scheduled and cancelled at once ({@code ServiceThread.schedule} then
 * {@code Timer.cancel}), the pattern of every per-connection timeout that is reset by traffic.
 *
 * <p>Guest timers may only be touched on their loop thread, and JMH calls from its own thread, so
 * each invocation hands a batch of {@link #BATCH} schedule+cancel pairs to the loop (through
 * {@code cancelService}) and spins until the loop has run them: the one hand-over (a few tens of
 * microseconds, see {@link WakeupBench}) is spread over 10,000 pairs, under a few ns per pair.
 * 1,000 other timers stay pending all along, as on a busy server. {@code placement=later}: the new
 * timer is due after them, so the backend's single timer is not touched; {@code earliest}: it is
 * due first, so schedule re-arms the backend timer and cancel re-arms it back (worst case).
 *
 * <p><b>Threading:</b> the JMH thread posts and waits; the loop thread schedules and cancels.
 */
@State(Scope.Benchmark)
public class TimerBench {

    static final int BATCH = 10_000;
    private static final int BACKGROUND = 1_000;
    private static final Runnable NOTHING = () -> { };

    @Param({"nio", "netty"})
    public String backend;

    @Param({"later", "earliest"})
    public String placement;

    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<ServiceThread> thread = new CompletableFuture<>();
    private GuestHost host;
    private ServiceThread loop;
    private Duration delay;
    private volatile long batchesDone;
    private final Runnable batch = this::batch;

    @Setup
    public void start() {
        host = GuestHost.start(backend, GuestContext.builder().protocol(new Protocol() {
            @Override
            public void onStart(ServiceThread t) {
                thread.complete(t);
            }

            @Override
            public void onEventWaitCancelled(ServiceThread t) {
                for (Runnable r; (r = inbox.poll()) != null; ) {
                    r.run();
                }
            }
        }));
        loop = thread.orTimeout(30, TimeUnit.SECONDS).join();
        delay = placement.equals("later") ? Duration.ofHours(3) : Duration.ofHours(1);
        CompletableFuture<Void> armed = new CompletableFuture<>();
        post(() -> {
            for (int i = 0; i < BACKGROUND; i++) {
                loop.schedule(Duration.ofHours(2).plusMillis(i), NOTHING);
            }
            armed.complete(null);
        });
        armed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @TearDown
    public void stop() {
        host.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public long scheduleAndCancel() {
        long before = batchesDone;
        post(batch);
        long now;
        while ((now = batchesDone) == before) {
            Thread.onSpinWait();
        }
        return now;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    private void batch() {
        ServiceThread t = loop;
        Duration d = delay;
        for (int i = 0; i < BATCH; i++) {
            Timer timer = t.schedule(d, NOTHING);
            timer.cancel();
        }
        batchesDone++;   // one writer: the loop thread
    }

    private void post(Runnable r) {
        inbox.add(r);
        loop.context().cancelService();
    }
}
