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

    /**
     * The same WebSocket echo over TLS 1.3 (JDK provider, one EC P-256 certificate: {@link BenchTls}),
     * for the TLS cells: the guest on nio and on a Netty NIO loop, native Netty with its
     * {@code SslHandler}, native Vert.x with {@code setSsl(true)}.
     */
    String[] TLS_KINDS = {"guest-nio-tls", "guest-netty-tls", "netty-tls", "vertx-tls"};

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
        if (kind.endsWith("-tls")) {
            String plain = kind.substring(0, kind.length() - "-tls".length());
            return switch (plain) {
                case "guest-nio", "guest-netty" -> new GuestEchoServer(plain.substring("guest-".length()), true);
                case "netty" -> new NettyEchoServer("nio", true);
                default -> new VertxEchoServer(true);
            };
        }
        if (kind.startsWith("guest-")) {
            return new GuestEchoServer(kind.substring("guest-".length()), false);
        }
        return switch (kind) {
            case "netty" -> new NettyEchoServer("nio", false);
            case "netty-epoll" -> new NettyEchoServer("epoll", false);
            case "netty-io_uring" -> new NettyEchoServer("io_uring", false);
            case "vertx" -> new VertxEchoServer(false);
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
        if (!java.util.Arrays.asList(KINDS).contains(kind) && !java.util.Arrays.asList(TLS_KINDS).contains(kind)) {
            throw new IllegalArgumentException("unknown server " + kind + "; expected one of " + String.join(", ", KINDS)
                    + ", " + String.join(", ", TLS_KINDS));
        }
    }

    /** The URI a generator loads {@code kind} on, listening on {@code port}. */
    static String uri(String kind, int port) {
        if (kind.equals("raw-nio")) {
            return "raw://127.0.0.1:" + port;
        }
        return (kind.endsWith("-tls") ? "wss" : "ws") + "://127.0.0.1:" + port + "/echo";
    }
}
