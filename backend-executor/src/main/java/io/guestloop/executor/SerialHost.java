package io.guestloop.executor;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * A host loop that cannot wait on sockets: an {@link Executor} that runs every task on one thread,
 * one after another (the Swing event dispatch thread, the JavaFX application thread, a
 * single-thread executor, an actor's dispatcher), and the test that tells whether the caller is on
 * that thread. Given to {@code GuestContext.builder().hostLoop(...)}, it makes the {@code executor}
 * backend run every guest callback on that thread:
 *
 * <pre>{@code
 * GuestContext context = GuestContext.builder().hostLoop(SerialHost.swing()).build();
 * ExecutorService single = Executors.newSingleThreadExecutor();
 * Thread[] worker = new Thread[1];
 * single.submit(() -> worker[0] = Thread.currentThread()).get();
 * SerialHost host = SerialHost.of(single, () -> Thread.currentThread() == worker[0]);
 * }</pre>
 *
 * <p><b>The host's side of the bargain.</b> The executor runs tasks on one thread at a time, in
 * order, and {@code onHostThread} is true exactly there; the backend checks this at its first
 * hand-off and closes the guest with a clear error when the task ran where the test says false.
 * The executor may refuse work ({@link java.util.concurrent.RejectedExecutionException} or any other
 * runtime exception from {@code execute}): the host has stopped, and the guest closes. An executor
 * that accepts a task and then drops it ({@code shutdownNow()}) cannot be noticed that way: complete
 * a {@link #stopped() stop signal} before, so that the guest is told on the host thread while it
 * still runs.
 *
 * <p>The backend never shuts the executor down: closing the guest leaves the host and its thread
 * alone.
 *
 * <p><b>Threading:</b> immutable, safe to share; a host may serve many guest contexts.
 *
 * @param name         what the host is called in thread names and messages
 * @param executor     runs tasks on the host thread, one at a time; called from any thread
 * @param onHostThread true when called on the host thread; called from any thread, must be cheap
 * @param stopped      completes when the host stops serving (completed on the host thread, the
 *                     guest is told right there); a stage that never completes when the host only
 *                     stops by refusing work
 */
public record SerialHost(String name, Executor executor, BooleanSupplier onHostThread, CompletionStage<?> stopped) {

    private static final CompletionStage<Void> NEVER = new CompletableFuture<Void>().minimalCompletionStage();

    /** Checks that nothing is missing. */
    public SerialHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(onHostThread, "onHostThread");
        Objects.requireNonNull(stopped, "stopped (use of(...) for a host with no stop signal)");
    }

    /**
     * A host made of {@code executor} and {@code onHostThread}, with no stop signal: it stops by
     * refusing work.
     */
    public static SerialHost of(Executor executor, BooleanSupplier onHostThread) {
        return new SerialHost("serial-host", executor, onHostThread, NEVER);
    }

    /**
     * The Swing event dispatch thread: {@link java.awt.EventQueue#invokeLater} and
     * {@link java.awt.EventQueue#isDispatchThread}. Works in headless mode too. Needs the
     * {@code java.desktop} module.
     *
     * <p>AWT may replace an idle dispatch thread of an application that shows no window with a new
     * one; tasks still run one at a time, on the thread that is the dispatch thread then.
     */
    public static SerialHost swing() {
        return new SerialHost("swing", java.awt.EventQueue::invokeLater, java.awt.EventQueue::isDispatchThread, NEVER);
    }

    /**
     * The JavaFX application thread: {@code Platform.runLater} and
     * {@code Platform.isFxApplicationThread}, with a stop signal that completes when the toolkit has
     * exited (after which the host refuses work). JavaFX is reached by reflection: this backend needs
     * no JavaFX jar unless this method is called.
     *
     * @throws IllegalStateException when JavaFX is not there, or its toolkit is not started yet
     *                               ({@code Application.launch} or {@code Platform.startup} first)
     */
    public static SerialHost javaFx() {
        return JavaFxHost.host();
    }

    /** This host under another name, for thread names and messages. */
    public SerialHost withName(String newName) {
        return new SerialHost(newName, executor, onHostThread, stopped);
    }

    /** This host with a stop signal: the guest closes when {@code signal} completes (in any way). */
    public SerialHost stoppedWhen(CompletionStage<?> signal) {
        return new SerialHost(name, executor, onHostThread, signal);
    }
}
