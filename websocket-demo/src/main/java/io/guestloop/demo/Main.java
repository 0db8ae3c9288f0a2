package io.guestloop.demo;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's command line: {@code java -jar guestloop-websocket-demo.jar [--backend nio|netty|vertx|legacy] [--transport nio|epoll|io_uring]
 * [--port 7681] ...} (see {@link DemoOptions#USAGE}). Prints one line with the URL when it serves,
 * and stops cleanly on Ctrl-C (or any termination signal) through a shutdown hook.
 *
 * <p>Exit codes: 0 after {@code --help} or a clean stop, 1 when the server cannot start, 2 for bad
 * arguments.
 *
 * <p><b>Threading:</b> runs on the JVM's main thread; the shutdown hook on a thread of its own.
 */
public final class Main {

    private Main() {
    }

    /** Parses {@code args}, starts the demo and waits until it stops. */
    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("guestloop-websocket-demo: " + e.getMessage());
            System.err.println("Run with --help to see every option.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        DemoServer demo;
        try {
            demo = DemoServer.start(options);
        } catch (RuntimeException e) {
            System.err.println("guestloop-websocket-demo: cannot start on backend " + options.backend() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(demo), "demo-shutdown"));
        StringBuilder line = new StringBuilder("guestloop WebSocket demo on backend ").append(demo.backend());
        if (options.backend().equals("netty") || options.backend().equals("vertx")) {
            line.append(" (").append(options.transport()).append(" loops)");
        }
        line.append(", ").append(options.threads()).append(options.threads() == 1 ? " service thread" : " service threads")
                .append(": open ").append(demo.pageUri());
        if (demo.nativeUri() != null) {
            line.append("  (the host's own endpoint: ").append(demo.nativeUri()).append(')');
        }
        System.out.println(line.append("  -- Ctrl-C to stop"));
        if (demo.certificate() != null) {
            System.out.println((demo.selfSigned() ? "TLS with a self-signed certificate made at start-up (" : "TLS with the certificate of "
                    + options.keyStore() + " (") + demo.certificate().getSubjectX500Principal().getName()
                    + "), SHA-256 fingerprint " + demo.certificateFingerprint());
        }
        System.out.flush();
        demo.stopped().toCompletableFuture().join();
    }

    private static void stop(DemoServer demo) {
        try {
            demo.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            System.out.println("guestloop WebSocket demo stopped");
        } catch (TimeoutException e) {
            System.err.println("guestloop-websocket-demo: did not stop within 10 s; exiting anyway");
        } catch (Exception e) {
            System.err.println("guestloop-websocket-demo: stopping failed: " + e);
        }
        System.out.flush();
    }
}
