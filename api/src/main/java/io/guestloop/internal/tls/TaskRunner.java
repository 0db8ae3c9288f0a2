package io.guestloop.internal.tls;

import io.guestloop.tls.TlsConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one connection's delegated tasks ({@link SSLEngine#getDelegatedTask()}) on the settings'
 * executor (the core's pool when none), never on the loop, and back on the loop through
 * {@link TlsTransport.Owner#tasksDone}.
 *
 * <p><b>Threading:</b> the owning connection's service thread only; the off-loop run reports back
 * on it through {@link TlsTransport.Owner#post}.
 */
final class TaskRunner {

    private final TlsConfig config;
    private final TlsTransport.Owner owner;
    private boolean running;

    TaskRunner(TlsConfig config, TlsTransport.Owner owner) {
        this.config = config;
        this.owner = owner;
    }

    /** True while tasks run off the loop. */
    boolean running() {
        return running;
    }

    /**
     * Starts the engine's pending tasks off the loop: false, the engine waits until the owner hears
     * {@code tasksDone}.
     *
     * @param handshaking whether a failure is a handshake failure
     * @throws SSLException when the executor refused the work
     */
    boolean run(SSLEngine engine, boolean handshaking) throws SSLException {
        if (running) {
            return false;
        }
        running = true;
        owner.interestChanged();
        Executor executor = config.delegatedTaskExecutor() != null ? config.delegatedTaskExecutor() : DelegatedTasks.defaultExecutor();
        try {
            executor.execute(() -> {
                Throwable failure = runAll(engine);
                owner.post(() -> {
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
