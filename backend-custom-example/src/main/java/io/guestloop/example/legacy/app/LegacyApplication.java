package io.guestloop.example.legacy.app;

import io.guestloop.GuestContext;
import io.guestloop.Mailbox;
import io.guestloop.example.legacy.loop.LegacyLoop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A legacy application that gained a guest. Its own work (an alarm that ticks, a pipe it reads) is
 * written against {@link LegacyLoop} as it always was; the guest, a {@link GuestEchoService}, runs
 * on the same loop through the {@code legacy} backend; the calling thread becomes the loop thread
 * and does both. A second thread, "outside", talks to each the way the outside world must: into
 * the application's pipe, into the guest's {@link Mailbox} (which calls {@code cancelService()}),
 * and over TCP to the echo service.
 *
 * <pre>{@code
 * mvn -B -q exec:java -pl backend-custom-example \
 *     -Dexec.mainClass=io.guestloop.example.legacy.app.LegacyApplication -Dexec.args="--seconds 5"
 * }</pre>
 *
 * <p><b>Threading:</b> {@link #run()} runs the loop on its caller; {@link #stop()} from any thread.
 */
public final class LegacyApplication {

    /** What ran where, returned by {@link #run()}. */
    public record Report(int ticks, int readings, int echoes, int notes, Set<String> loopWorkThreads) {
    }

    private static final String USAGE = "usage: LegacyApplication [--seconds N (default 10, 0 = until Ctrl-C)] [--port N]";

    private final Duration interval;
    private final Duration runFor;
    private final int port;
    private final Consumer<String> out;
    private final LegacyLoop loop;
    private volatile GuestContext guest;
    // Loop thread only:
    private int ticks;
    private int readings;
    private final Set<String> threads = new TreeSet<>();

    /**
     * @param interval how often the application ticks and the outside thread sends
     * @param runFor   how long to run; {@link Duration#ZERO} runs until {@link #stop()} or Ctrl-C
     * @param port     the echo service's port on 127.0.0.1 (0: any free port)
     * @param out      where every line of output goes
     */
    public LegacyApplication(Duration interval, Duration runFor, int port, Consumer<String> out) throws IOException {
        this.interval = interval;
        this.runFor = runFor;
        this.port = port;
        this.out = out;
        this.loop = new LegacyLoop();
    }

    /** {@code [--seconds N] [--port N]}: runs N seconds (default 10; 0 until Ctrl-C). */
    public static void main(String[] args) throws Exception {
        long seconds = 10;
        int port = 0;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--seconds" -> seconds = number(args[i], value, Long.MAX_VALUE / 1_000_000_000L);
                case "--port" -> port = (int) number(args[i], value, 65535);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        new LegacyApplication(Duration.ofSeconds(1), Duration.ofSeconds(seconds), port, System.out::println).run();
    }

    /** Sets everything up, runs the loop on the calling thread until stopped, and prints a summary. */
    public Report run() throws IOException, InterruptedException {
        // ---- the application's own work, on LegacyLoop's own API ----
        tickEvery(1);
        Pipe readingsPipe = Pipe.open();
        readingsPipe.source().configureBlocking(false);
        loop.watch(readingsPipe.source(), LegacyLoop.READ, (watch, events) -> readReadings(readingsPipe.source()));

        // ---- the guest: a LegacyLoop as host loop is all it takes to pick the legacy backend ----
        GuestEchoService echo = new GuestEchoService(out);
        guest = GuestContext.builder()
                .hostLoop(loop)
                .protocol(echo)
                .listen(new InetSocketAddress("127.0.0.1", port), echo)
                .build();
        SocketAddress echoAddress = guest.listeners().get(0).localAddress();
        out.accept("echo service (a guest on backend '" + guest.backendName() + "') listening on " + echoAddress);

        // ---- the outside world, on a thread of its own ----
        Thread outside = new Thread(() -> outside(echoAddress, readingsPipe.sink(), echo), "outside");
        outside.setDaemon(true);
        outside.start();

        if (!runFor.isZero()) {
            loop.alarmAt(System.nanoTime() + runFor.toNanos(), this::stop);
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            out.accept("[ctrl-c] stopping the legacy loop; its stop listener tells the guest, which closes itself");
            loop.stop();
            awaitQuietly(finished);
        }, "ctrl-c");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            try {
                loop.run(); // from here until stop(), this thread is the loop thread
            } finally {
                outside.interrupt();
                outside.join(TimeUnit.SECONDS.toMillis(5));
                readingsPipe.sink().close();
                readingsPipe.source().close();
            }
            threads.addAll(echo.threads());
            Report report = new Report(ticks, readings, echo.echoes(), echo.notesReceived(), threads);
            out.accept("summary: " + ticks + " ticks and " + readings + " pipe readings (the application), "
                    + report.echoes() + " echoes and " + report.notes() + " notes (the guest), all on thread(s) " + threads);
            return report;
        } finally {
            finished.countDown();
            removeHook(onCtrlC);
        }
    }

    /** Closes the guest, then stops the loop. Any thread. */
    public void stop() {
        loop.execute(() -> guest.close().whenComplete((ignored, failure) -> loop.stop()));
    }

    private void tickEvery(int n) {
        loop.alarmAt(System.nanoTime() + interval.toNanos(), () -> {
            ticks++;
            say("tick " + n);
            tickEvery(n + 1);
        });
    }

    private void readReadings(Pipe.SourceChannel source) {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        try {
            if (source.read(buffer) > 0) {
                for (String line : new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).split("\n")) {
                    readings++;
                    say("pipe says \"" + line + "\"");
                }
            }
        } catch (IOException e) {
            say("cannot read the pipe: " + e);
        }
    }

    private void say(String what) {
        threads.add(Thread.currentThread().getName());
        out.accept("[" + Thread.currentThread().getName() + "] legacy: " + what);
    }

    /** The outside thread: blocking I/O is fine here, this is not a loop thread. */
    private void outside(SocketAddress echoAddress, Pipe.SinkChannel readingsSink, GuestEchoService echo) {
        try (SocketChannel client = SocketChannel.open(echoAddress)) {
            Mailbox<String> notes = echo.notes().toCompletableFuture().get();
            ByteBuffer reply = ByteBuffer.allocate(256);
            for (int n = 1; !Thread.currentThread().isInterrupted(); n++) {
                readingsSink.write(ascii("reading " + n + "\n")); // the application's door: its pipe
                notes.post("note " + n);                          // the guest's door: cancelService()
                client.write(ascii("hello " + n + "\n"));         // and the network, to the guest's service
                reply.clear();
                while (reply.position() == 0 || reply.get(reply.position() - 1) != '\n') {
                    if (client.read(reply) < 0) {
                        return; // the guest closed the connection: it is shutting down
                    }
                }
                out.accept("[outside] client: echo came back \"" + new String(reply.array(), 0, reply.position() - 1,
                        StandardCharsets.US_ASCII) + "\"");
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            // run() is over and asked us to stop.
        } catch (IOException | ExecutionException e) {
            out.accept("[outside] stopped: " + e);
        }
    }

    private static long number(String option, String value, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " expects a number from 0 to " + max + ", got '" + value + "'; " + USAGE);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running.
        }
    }
}
