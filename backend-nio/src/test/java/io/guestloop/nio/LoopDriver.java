package io.guestloop.nio;

import io.guestloop.spi.LoopOptions;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ThreadEvents;
import io.guestloop.tck.Timeouts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives one nio loop thread from a test: tasks posted with {@link #call} run inside
 * {@code onWakeup} (the SPI's only door in from other threads), and the test can hook the timer.
 */
final class LoopDriver implements ThreadEvents, AutoCloseable {

    final NioLoopOps ops;
    final LoopThread loop;
    final AtomicInteger wakeups = new AtomicInteger();
    final AtomicInteger timers = new AtomicInteger();
    volatile Runnable timerAction = () -> { };
    volatile Runnable wakeupAction = () -> { };
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private LoopDriver(NioLoopOps ops) {
        this.ops = ops;
        this.loop = ops.threads().get(0);
    }

    /** One owned loop thread, started. */
    static LoopDriver started() {
        LoopDriver driver = new LoopDriver(new NioLoopOps(LoopOptions.owned(1)));
        driver.loop.start(driver);
        return driver;
    }

    /** Runs {@code task} on the loop thread and returns its future. */
    <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        loop.wakeup();
        return result;
    }

    /** Runs {@code task} on the loop thread and waits for its result. */
    <T> T call(Callable<T> task) {
        return Timeouts.await(submit(task), "a task on the loop thread");
    }

    @Override
    public void onTimer() {
        timers.incrementAndGet();
        timerAction.run();
    }

    @Override
    public void onWakeup() {
        wakeups.incrementAndGet();
        wakeupAction.run();
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    @Override
    public void onHostLoopClosing() {
        throw new AssertionError("nio owns its loop and never reports it closing");
    }

    @Override
    public void close() {
        Timeouts.await(ops.close(), "the nio backend to close");
    }

    /** A connected TCP pair on 127.0.0.1: [0] the accepted side, non-blocking; [1] the client, blocking. */
    static SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            accepted.configureBlocking(false);
            return new SocketChannel[] {accepted, client};
        }
    }

    /** A pair whose non-blocking side already has bytes to read. */
    static SocketChannel[] readablePair() throws IOException {
        SocketChannel[] pair = socketPair();
        pair[1].write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        return pair;
    }

    static void closeAll(SocketChannel[]... pairs) throws IOException {
        for (SocketChannel[] pair : pairs) {
            for (SocketChannel channel : pair) {
                channel.close();
            }
        }
    }
}
