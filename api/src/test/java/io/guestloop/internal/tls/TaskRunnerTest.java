package io.guestloop.internal.tls;

import io.guestloop.tls.ServerTls;
import io.guestloop.tls.TlsConfig;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where delegated tasks run: inline after short runs, off the loop after a long one. Clock and executor are the test's. */
class TaskRunnerTest {

    private static final long BUDGET = 100_000;

    private final AtomicLong clock = new AtomicLong();
    private final TaskTimes times = new TaskTimes(clock::get, BUDGET, 2);
    private final List<Runnable> offLoop = new ArrayList<>();
    private final List<Runnable> posted = new ArrayList<>();
    private final List<Throwable> done = new ArrayList<>();
    private final TaskEngine engine = new TaskEngine();
    private final TaskRunner runner = new TaskRunner(config(offLoop::add), times, new TlsTransport.Owner() {
        @Override
        public void interestChanged() {
        }

        @Override
        public void tasksDone(Throwable failure) {
            done.add(failure);
        }

        @Override
        public void post(Runnable task) {
            posted.add(task);
        }
    });

    private static TlsConfig config(java.util.concurrent.Executor executor) {
        try {
            return ServerTls.of(SSLContext.getDefault()).withDelegatedTaskExecutor(executor);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A task that takes {@code nanos} on the test clock. */
    private Runnable taking(long nanos) {
        return () -> clock.addAndGet(nanos);
    }

    /** Runs the engine's next task through the runner; true when it ran inline. */
    private boolean runTask(long nanos) throws Exception {
        engine.tasks.add(taking(nanos));
        boolean inline = runner.run(engine, true);
        if (!inline) {
            assertTrue(runner.running());
            assertEquals(1, offLoop.size(), "one job off the loop");
            offLoop.remove(0).run();
            assertEquals(1, posted.size(), "the result comes back to the loop");
            posted.remove(0).run();
            assertFalse(runner.running());
            assertEquals(1, done.size());
            assertNull(done.remove(0));
        }
        assertTrue(engine.tasks.isEmpty(), "every task ran");
        return inline;
    }

    @Test
    void anUnmeasuredEngineKindRunsItsTasksOffTheLoop() throws Exception {
        assertFalse(runTask(1_000));
    }

    @Test
    void fastRunsInARowLetTheNextTasksRunInline() throws Exception {
        assertFalse(runTask(1_000));
        assertFalse(runTask(1_000));
        assertTrue(runTask(1_000));
        assertTrue(runTask(BUDGET));
    }

    @Test
    void aSlowInlineRunIsNeverFollowedByAnotherInlineRun() throws Exception {
        runTask(1_000);
        runTask(1_000);
        assertTrue(runTask(BUDGET + 1), "ran inline, and turned out slow");
        assertFalse(runTask(1_000), "the next run goes off the loop");
        assertFalse(runTask(1_000), "and so does the one after, until the kind has proven short again");
        assertTrue(runTask(1_000));
    }

    @Test
    void aSlowRunOffTheLoopStartsTheCountAgain() throws Exception {
        runTask(1_000);
        runTask(BUDGET + 1);
        assertFalse(runTask(1_000));
        assertFalse(runTask(1_000));
        assertTrue(runTask(1_000));
    }

    @Test
    void eachEngineKindIsMeasuredOnItsOwn() throws Exception {
        runTask(1_000);
        runTask(1_000);
        assertTrue(times.inline(TaskEngine.class));
        assertFalse(times.inline(javax.net.ssl.SSLEngine.class));
    }

    @Test
    void anInlineTaskThatFailsFailsTheHandshakeNamingTheCause() throws Exception {
        runTask(1_000);
        runTask(1_000);
        IllegalStateException boom = new IllegalStateException("key material unavailable");
        engine.tasks.add(() -> {
            throw boom;
        });
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> runner.run(engine, true));
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("key material unavailable"), e.getMessage());
    }
}
