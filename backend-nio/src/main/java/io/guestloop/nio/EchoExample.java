package io.guestloop.nio;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A TCP echo server on the {@code nio} backend: the smallest complete guest. Listens on
 * 127.0.0.1:7681 (or {@code --port N}), prints the bound address and runs until Ctrl-C.
 *
 * <pre>{@code
 * mvn -B -q exec:java -pl backend-nio -Dexec.mainClass=io.guestloop.nio.EchoExample
 * }</pre>
 *
 * <p><b>Threading:</b> {@link #main} builds and waits; the handler runs on the service threads.
 */
public final class EchoExample {

    /** The port used without {@code --port}. */
    public static final int DEFAULT_PORT = 7681;

    private EchoExample() {
    }

    /** Starts the server; {@code --port N} picks the port (0 lets the OS choose). */
    public static void main(String[] args) {
        int port;
        try {
            port = parsePort(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        GuestContext context = GuestContext.builder()
                .listen(new InetSocketAddress("127.0.0.1", port), new Echo())
                .build();
        System.out.println("echo server listening on " + context.listeners().get(0).localAddress()
                + " (backend " + context.backendName() + ", " + context.serviceThreads().size()
                + " service threads); Ctrl-C to stop");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                context.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("echo server did not close cleanly: " + e);
            }
        }, "echo-shutdown"));
        context.closed().toCompletableFuture().join();
    }

    static int parsePort(String[] args) {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                try {
                    port = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--port expects a number from 0 to 65535, got '" + args[i] + "'");
                }
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: EchoExample [--port N]");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port expects a number from 0 to 65535, got " + port);
        }
        return port;
    }

    /**
     * Writes back what it reads. When the peer reads slower than it sends, the write queue fills:
     * reading pauses until it drains, so memory stays bounded and nothing is dropped.
     */
    static final class Echo implements ConnectionHandler {

        @Override
        public void onData(Connection connection, ByteBuffer data) {
            if (!connection.write(data)) {
                // Refused only when the queue is full: keep a copy (the buffer is shared) until it drains.
                connection.attach(ByteBuffer.allocate(data.remaining()).put(data).flip());
                connection.pauseReading();
            }
        }

        @Override
        public void onWritabilityChanged(Connection connection, boolean writable) {
            if (!writable) {
                connection.pauseReading();
                return;
            }
            ByteBuffer held = connection.attachment();
            if (held != null) {
                if (!connection.write(held)) {
                    return;
                }
                connection.attach(null);
            }
            connection.resumeReading();
        }
    }
}
