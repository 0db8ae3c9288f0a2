package io.guestloop.executor;

import org.junit.jupiter.api.Assumptions;

import java.util.concurrent.CompletableFuture;

/**
 * The JavaFX toolkit of a test JVM, started once, by reflection as the backend reaches it. It needs
 * a display: the {@code javafx-on-xvfb} surefire execution runs these tests under {@code xvfb-run}
 * (Debian's {@code xvfb}). Without a display a test skips with one line, or fails with {@code CI=true}
 * ({@code .ci/run} installs xvfb, and CI must never skip them silently).
 *
 * <p><b>Threading:</b> any thread; the toolkit runs on its own application thread.
 */
final class JavaFxToolkit {

    private static final String INSTALL = "apt-get install xvfb";
    private static CompletableFuture<Void> started;

    private JavaFxToolkit() {
    }

    /** Starts the toolkit (once per JVM) and waits until its thread runs; skips or fails without a display. */
    static synchronized void require(Class<?> test) {
        String display = System.getenv("DISPLAY");
        if (display == null || display.isEmpty()) {
            String why = test.getSimpleName() + " needs an X display for JavaFX (" + System.getenv().getOrDefault("GUESTLOOP_NO_DISPLAY",
                    "DISPLAY is not set") + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + ". CI=true, so this test must run, not be skipped: " + INSTALL + " (.ci/run does)");
            }
            Assumptions.abort("SKIPPED " + why + ". To run it: " + INSTALL);
        }
        if (started == null) {
            started = new CompletableFuture<>();
            try {
                Class<?> platform = Class.forName("javafx.application.Platform");
                platform.getMethod("setImplicitExit", boolean.class).invoke(null, false);
                platform.getMethod("startup", Runnable.class).invoke(null, (Runnable) () -> started.complete(null));
            } catch (ReflectiveOperationException e) {
                started.completeExceptionally(e);
            }
        }
        io.guestloop.tck.Timeouts.await(started, "the JavaFX toolkit to start on display " + display);
    }

    /** Ends the toolkit: its application thread stops, for good in this JVM. */
    static void exit() throws ReflectiveOperationException {
        Class.forName("javafx.application.Platform").getMethod("exit").invoke(null);
    }
}
