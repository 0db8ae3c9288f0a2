package io.guestloop.tck;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A host loop run on a thread of its own, the way the application that owns it runs it: for the
 * {@link BackendFixture} of a shim whose loop has a blocking {@code run()}. {@link #start} returns
 * only once the loop has run a task, so the loop is inside {@code run()} and knows its thread
 * before the kit calls anything that checks it.
 *
 * <pre>{@code
 * MyLoop loop = new MyLoop();
 * HostLoopThread host = HostLoopThread.start("my-loop", loop::run, loop::execute, loop::stop);
 * }</pre>
 *
 * <p><b>Threading:</b> every method from the test thread; the loop runs on its own thread.
 */
public final class HostLoopThread implements AutoCloseable {

    private final Thread thread;
    private final Executor execute;
    private final Runnable stop;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private HostLoopThread(String threadName, Runnable run, Executor execute, Runnable stop) {
        this.execute = execute;
        this.stop = stop;
        this.thread = new Thread(() -> {
            try {
                run.run();
            } finally {
                ended.complete(null);
            }
        }, threadName);
        thread.setDaemon(true);
    }

    /**
     * Starts a thread named {@code threadName} that calls {@code run}, and waits until a task posted
     * with {@code execute} has run on it.
     *
     * @param run     the loop's blocking run method; returns when the loop stops
     * @param execute the loop's own way to run a task on its thread, from any thread
     * @param stop    asks the loop to stop, from any thread; {@code run} then returns
     * @throws AssertionError when the loop runs no task within {@link Timeouts#AWAIT}
     */
    public static HostLoopThread start(String threadName, Runnable run, Executor execute, Runnable stop) {
        HostLoopThread host = new HostLoopThread(Objects.requireNonNull(threadName, "threadName"),
                Objects.requireNonNull(run, "run"), Objects.requireNonNull(execute, "execute"), Objects.requireNonNull(stop, "stop"));
        host.thread.start();
        Thread ranOn = Timeouts.await(host.runTask(), "the host loop '" + threadName + "' to run a first task: is run() looping?");
        if (ranOn != host.thread) {
            throw new AssertionError("a task posted to the host loop ran on " + ranOn.getName() + ", not on its thread " + threadName);
        }
        return host;
    }

    /** The loop's thread. */
    public Thread thread() {
        return thread;
    }

    /** Runs a task of the host's own on the loop; completes with the thread it ran on (for {@link BackendFixture#runHostTask}). */
    public CompletionStage<Thread> runTask() {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        execute.execute(() -> ranOn.complete(Thread.currentThread()));
        return ranOn;
    }

    /** Stops the loop; completes when its {@code run()} has returned (for {@link BackendFixture#shutdownHost}). */
    public CompletionStage<Void> stop() {
        stop.run();
        return ended;
    }

    /** Stops the loop, if still running, and waits for its thread to end. */
    @Override
    public void close() {
        Timeouts.await(stop(), "the host loop '" + thread.getName() + "' to stop");
    }
}
