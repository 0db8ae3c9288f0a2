package io.guestloop.internal.tls;

import io.guestloop.tls.TlsConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one connection's delegated tasks ({@link SSLEngine#getDelegatedTask()}) where the thread's
 * {@link TaskTimes} says: inline, when this engine kind's recent tasks were short, or on the
 * settings' executor (the core's pool when none), and back on the loop through
 * {@link TlsTransport.Owner#tasksDone}. Every run is timed and recorded, so a kind whose tasks turn
 * out long goes off the loop at once.
 *
 * <p><b>Threading:</b> the owning connection's service thread only; the off-loop run reports back
 * on it through {@link TlsTransport.Owner#post}.
 */
final class TaskRunner {

    private final TlsConfig config;
    private final TaskTimes times;
    private final TlsTransport.Owner owner;
    private boolean running;

    TaskRunner(TlsConfig config, TaskTimes times, TlsTransport.Owner owner) {
        this.config = config;
        this.times = times;
        this.owner = owner;
    }

    /** True while tasks run off the loop. */
    boolean running() {
        return running;
    }

    /**
     * Runs the engine's pending tasks: true when they ran inline and the engine can go on at once;
     * false when they run off the loop (the owner hears {@code tasksDone} when they are done).
     *
     * @param handshaking whether a failure is a handshake failure
     * @throws SSLException when an inline task failed, or the executor refused the work
     */
    boolean run(SSLEngine engine, boolean handshaking) throws SSLException {
        if (running) {
            return false;
        }
        Class<?> kind = engine.getClass();
        if (times.inline(kind)) {
            long start = times.now();
            Throwable failure = runAll(engine);
            times.ran(kind, times.now() - start, true);
            if (failure != null) {
                SSLException e = handshaking
                        ? new SSLHandshakeException("a TLS delegated task failed: " + failure)
                        : new SSLException("a TLS delegated task failed: " + failure);
                e.initCause(failure);
                throw e;
            }
            return true;
        }
        running = true;
        owner.interestChanged();
        Executor executor = config.delegatedTaskExecutor() != null ? config.delegatedTaskExecutor() : DelegatedTasks.defaultExecutor();
        try {
            executor.execute(() -> {
                long start = times.now();
                Throwable failure = runAll(engine);
                long took = times.now() - start;
                owner.post(() -> {
                    times.ran(kind, took, false);
                    running = false;
                    owner.tasksDone(failure);
                });
            });
        } catch (RejectedExecutionException rejected) {
            running = false;
            throw new SSLException("the executor for TLS delegated tasks refused the work: " + rejected.getMessage(), rejected);
        }
        return false;
    }

    /** Runs every pending task; what one threw, or null. */
    private static Throwable runAll(SSLEngine engine) {
        try {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
