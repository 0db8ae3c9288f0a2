package io.guestloop.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A background thread, foreign to every loop, that posts a server-time line every period. It
 * shows the one door into the guest from outside: it only hands lines to a sink that posts them
 * to mailboxes ({@link ChatRooms#broadcast}), which wake the service threads through
 * {@code cancelService()}.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #stop} from any thread, {@link #close} from any
 * thread but a loop thread (it waits); the sink is called on the clock's own thread.
 */
final class ServerClock implements AutoCloseable {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'");

    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    private ServerClock(Duration period, Clock clock, Consumer<String> sink) {
        this.thread = new Thread(() -> run(period, clock, sink), "demo-server-clock");
        this.thread.setDaemon(true);
    }

    /** Starts a clock that passes {@link ChatJson#time} lines to {@code sink} every {@code period}. */
    static ServerClock start(Duration period, Clock clock, Consumer<String> sink) {
        ServerClock c = new ServerClock(period, clock, sink);
        c.thread.start();
        return c;
    }

    private void run(Duration period, Clock clock, Consumer<String> sink) {
        long n = 0;
        try {
            // The latch is both the period and the stop signal: close() ends the wait at once.
            while (!stop.await(period.toNanos(), TimeUnit.NANOSECONDS)) {
                n++;
                String now = FORMAT.format(ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC));
                sink.accept(ChatJson.time("server time " + now + " (tick " + n + ", posted from thread " + thread.getName() + ")"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tells the clock to stop, without waiting for its thread. Any thread, loop threads included. */
    void stop() {
        stop.countDown();
    }

    /** Stops the clock and waits (a few seconds at most) for its thread to end. Not on a loop thread. */
    @Override
    public void close() {
        stop();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
