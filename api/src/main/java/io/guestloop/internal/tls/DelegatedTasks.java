package io.guestloop.internal.tls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The core's pool for an engine's delegated tasks when the settings name no executor: daemon
 * threads, at most one per core (two at least), that end after 30 idle seconds, so a guest with no
 * handshake in progress keeps no thread. Its queue holds at most one job per connection in
 * handshake, so it is bounded by the connections the guest accepted.
 *
 * <p><b>Threading:</b> any thread.
 */
final class DelegatedTasks {

    private DelegatedTasks() {
    }

    /** The shared default pool, made on first use. */
    static Executor defaultExecutor() {
        return Pool.POOL;
    }

    private static final class Pool {
        static final ThreadPoolExecutor POOL = create();

        private static ThreadPoolExecutor create() {
            int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "guestloop-tls-task-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
