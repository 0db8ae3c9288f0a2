package io.guestloop.tck;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Generous bounds for waiting on the loop in tests. Tests never sleep to synchronise: they wait on a
 * latch or a future, bounded by {@link #AWAIT}, so a slow shared machine only slows them down.
 *
 * <p><b>Threading:</b> called from test threads, never from a loop thread.
 */
public final class Timeouts {

    /** How long a test waits for something that should happen promptly. */
    public static final Duration AWAIT = Duration.ofSeconds(20);

    private Timeouts() {
    }

    /** Waits for {@code latch}, failing the test with {@code what} when it does not open in time. */
    public static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + AWAIT.toSeconds() + " s waiting for " + what
                        + " (" + latch.getCount() + " still missing)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Waits for {@code stage} and returns its value, failing the test when it fails or times out. */
    public static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + AWAIT.toSeconds() + " s waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }
}
