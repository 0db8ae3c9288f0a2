package io.guestloop.bench;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.executor.SerialHost;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the extra hop of the {@code executor} backend costs ({@code benchmarks/run.sh --only executor}):
 * one guest client, written once, on the Swing event dispatch thread (headless) and on the built-in
 * {@code nio} loop, in one run against one TCP echo (a guest on its own nio thread). Per host: the
 * round-trip latency of 64-byte messages sent one at a time (p50, p99), the CPU per message of the
 * client's own threads (Swing: the dispatch thread and the watcher; nio: its loop thread), and, with
 * 1,000 idle connections open, the CPU each of those threads uses in 5 s.
 *
 * <p>Headless AWT ends an idle dispatch thread after a second when no window is up; where the JVM
 * lets it ({@code --add-exports java.desktop/sun.awt=ALL-UNNAMED}, as run.sh gives), the run tells
 * AWT the toolkit is busy, as a window would, so that the idle figure is the real dispatch thread's.
 *
 * <p><b>Threading:</b> {@link #run()} on the main thread; the clients on their hosts' threads.
 */
final class SerialHostRuns {

    private static final int SIZE = 64;
    private static final int WARMUP = 5_000;
    private static final int MESSAGES = 20_000;
    private static final int IDLE_CONNECTIONS = 1_000;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    /** One host's figures. */
    record Row(String host, double p50Micros, double p99Micros, double cpuMicrosPerMessage, String idleThreads) {
    }

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();

    List<Row> run() {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        boolean pinned = keepDispatchThread();
        GuestContext echo = GuestContext.builder().backend("nio").serviceThreads(1).listen(LOOPBACK, new ConnectionHandler() {
            @Override
            public void onData(Connection c, ByteBuffer data) {
                c.write(data);
            }
        }).build();
        try {
            SocketAddress server = echo.listeners().get(0).localAddress();
            List<Row> rows = new ArrayList<>();
            rows.add(measure("nio", GuestContext.builder().backend("nio").serviceThreads(1), server, pinned));
            rows.add(measure("swing", GuestContext.builder().hostLoop(SerialHost.swing()), server, pinned));
            return rows;
        } finally {
            echo.close().toCompletableFuture().join();
        }
    }

    private static boolean keepDispatchThread() {
        try {
            Class.forName("sun.awt.AWTAutoShutdown").getMethod("notifyToolkitThreadBusy").invoke(null);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Comparison.progress("executor: cannot keep the headless dispatch thread (" + e + "); its idle figure may be of a thread AWT ended");
            return false;
        }
    }

    private Row measure(String host, GuestContext.Builder builder, SocketAddress server, boolean pinned) {
        Comparison.progress("executor: " + host + ", " + MESSAGES + " round trips of " + SIZE + " B, then "
                + IDLE_CONNECTIONS + " idle connections for " + IDLE_WINDOW.toSeconds() + " s");
        Idle idle = new Idle(server, IDLE_CONNECTIONS);
        PingPong client = new PingPong(host, server, idle);
        GuestContext ctx = builder.protocol(client).build();
        try {
            Histogram rtt = client.finished.join();
            List<Thread> threads = clientThreads(host, client.loopThread);
            long cpu = client.measuredCpu;
            idle.opened.join();
            StringBuilder idleCpu = new StringBuilder();
            long[] before = new long[threads.size()];
            for (int i = 0; i < threads.size(); i++) {
                before[i] = mx.getThreadCpuTime(threads.get(i).getId());
            }
            pause(IDLE_WINDOW);
            for (int i = 0; i < threads.size(); i++) {
                Thread t = threads.get(i);
                long used = mx.getThreadCpuTime(t.getId()) - before[i];
                idleCpu.append(i == 0 ? "" : ", ").append(i == 0 ? "loop thread " : "watcher ").append(t.getName()).append(' ')
                        .append(t.isAlive() ? String.format(Locale.ROOT, "%.2f ms", used / 1e6) : "(ended)");
            }
            if (host.equals("swing") && !pinned) {
                idleCpu.append(" (dispatch thread not kept)");
            }
            return new Row(host, rtt.getValueAtPercentile(50) / 1e3, rtt.getValueAtPercentile(99) / 1e3,
                    cpu / 1e3 / MESSAGES, idleCpu.toString());
        } finally {
            ctx.close().toCompletableFuture().join();
        }
    }

    private static List<Thread> clientThreads(String host, Thread loop) {
        List<Thread> threads = new ArrayList<>(List.of(loop));
        if (host.equals("swing")) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("guestloop-watcher-swing-") && t.isAlive()) {
                    threads.add(t);
                }
            }
        }
        return threads;
    }

    private static void pause(Duration d) {
        try {
            new CountDownLatch(1).await(d.toMillis(), TimeUnit.MILLISECONDS); // measuring, not synchronising
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The measured client: one connection, one 64-byte message in flight at a time; on its loop thread. */
    private final class PingPong implements Protocol, ConnectionHandler {
        final CompletableFuture<Histogram> finished = new CompletableFuture<>();
        private final String host;
        private final SocketAddress server;
        private final Idle idle;
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        private final ByteBuffer message = ByteBuffer.allocate(SIZE);
        volatile Thread loopThread;
        volatile long measuredCpu;
        private List<Thread> cpuThreads;
        private long cpuBefore;
        private int sent;
        private int received;
        private long sentAt;

        PingPong(String host, SocketAddress server, Idle idle) {
            this.host = host;
            this.server = server;
            this.idle = idle;
        }

        @Override
        public void onStart(ServiceThread thread) {
            loopThread = Thread.currentThread();
            try {
                thread.connect(server, Duration.ofSeconds(10), this);
            } catch (IOException e) {
                finished.completeExceptionally(new UncheckedIOException(e));
            }
        }

        @Override
        public void onEventWaitCancelled(ServiceThread thread) {
            // nothing crosses threads here
        }

        @Override
        public void onOpen(Connection c) {
            send(c);
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            received += data.remaining();
            if (received < SIZE) {
                return;
            }
            received -= SIZE;
            if (sent > WARMUP) {
                histogram.recordValue(System.nanoTime() - sentAt);
            } else if (sent == WARMUP) {
                cpuThreads = clientThreads(host, loopThread);
                cpuBefore = cpu(cpuThreads);
            }
            if (sent == WARMUP + MESSAGES) {
                measuredCpu = cpu(cpuThreads) - cpuBefore;
                finished.complete(histogram);
                c.close();
                idle.openFrom(c.serviceThread()); // on this loop thread, for the idle figure
                return;
            }
            send(c);
        }

        private long cpu(List<Thread> threads) {
            long sum = 0;
            for (Thread t : threads) {
                sum += mx.getThreadCpuTime(t.getId());
            }
            return sum;
        }

        private void send(Connection c) {
            sent++;
            sentAt = System.nanoTime();
            c.write(message.clear());
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            if (!finished.isDone()) {
                finished.completeExceptionally(new IllegalStateException("the echo connection closed early", cause));
            }
        }
    }

    /** {@code count} connections that send nothing, opened from the client's loop thread. */
    private static final class Idle implements ConnectionHandler {
        private final SocketAddress server;
        private final int count;
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        private int open;

        Idle(SocketAddress server, int count) {
            this.server = server;
            this.count = count;
        }

        /** Opens the connections; on {@code t}, the client's loop thread. */
        void openFrom(ServiceThread t) {
            for (int i = 0; i < count; i++) {
                try {
                    t.connect(server, Duration.ofSeconds(30), this);
                } catch (IOException e) {
                    opened.completeExceptionally(e);
                    return;
                }
            }
        }

        @Override
        public void onOpen(Connection c) {
            if (++open == count) {
                opened.complete(null);
            }
        }
    }

    /** The markdown section of these figures. */
    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| client host | RTT p50 | RTT p99 | client CPU per message | idle, ").append(IDLE_CONNECTIONS)
                .append(" connections, CPU in ").append(IDLE_WINDOW.toSeconds()).append(" s |\n|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f µs | %.1f µs | %.1f µs | %s |%n",
                    r.host(), r.p50Micros(), r.p99Micros(), r.cpuMicrosPerMessage(), r.idleThreads()));
        }
        return b.toString();
    }
}
