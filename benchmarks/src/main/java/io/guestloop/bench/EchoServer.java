package io.guestloop.bench;

import java.io.IOException;

/**
 * One echo server under test, bound to 127.0.0.1 on a port the OS picks, served by exactly one
 * loop thread. WebSocket servers echo every message at {@code /echo}; the raw server echoes bytes.
 *
 * <p><b>Threading:</b> {@link #start} and {@link #close} from one non-loop thread;
 * {@link #loopThread()} from any thread once started.
 */
public interface EchoServer extends AutoCloseable {

    /** Every server, in the order the tables list them. */
    String[] KINDS = {"guest-nio", "guest-netty", "guest-netty-epoll", "guest-netty-io_uring", "guest-vertx", "guest-legacy",
            "netty", "netty-epoll", "netty-io_uring", "vertx", "raw-nio"};

    /** Starts serving and returns the bound port. */
    int start() throws IOException;

    /** The single thread that runs the server's loop. */
    Thread loopThread();

    /** True when clients must speak WebSocket to this server; false for the raw byte echo. */
    boolean websocket();

    /** Stops the server and its loop. */
    @Override
    void close();

    /**
     * The server called {@code kind}, not started.
     *
     * @throws IllegalArgumentException for a name not in {@link #KINDS}
     */
    static EchoServer of(String kind) {
        checkKind(kind);
        if (kind.startsWith("guest-")) {
            return new GuestEchoServer(kind.substring("guest-".length()));
        }
        return switch (kind) {
            case "netty" -> new NettyEchoServer("nio");
            case "netty-epoll" -> new NettyEchoServer("epoll");
            case "netty-io_uring" -> new NettyEchoServer("io_uring");
            case "vertx" -> new VertxEchoServer();
            case "raw-nio" -> new RawNioEchoServer();
            default -> throw new IllegalArgumentException("unknown server " + kind + "; expected one of "
                    + String.join(", ", KINDS));
        };
    }

    /**
     * Checks that {@code kind} names a server.
     *
     * @throws IllegalArgumentException for a name not in {@link #KINDS}
     */
    static void checkKind(String kind) {
        if (!java.util.Arrays.asList(KINDS).contains(kind)) {
            throw new IllegalArgumentException("unknown server " + kind + "; expected one of " + String.join(", ", KINDS));
        }
    }
}
