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

    /**
     * Every server, in the order the tables list them. A kind ending in {@link #TEXT_AS_BYTES} is the
     * guest whose endpoint takes text as its validated UTF-8 bytes and sends those bytes back
     * ({@link GuestEchoServer.TextPath#UTF8_BYTES}); the other guest kinds take and send a {@code String}.
     */
    String[] KINDS = {"guest-nio", "guest-netty", "guest-nio-utf8", "guest-netty-utf8", "guest-netty-epoll", "guest-netty-io_uring",
            "guest-vertx", "guest-legacy", "netty", "netty-epoll", "netty-io_uring", "vertx", "raw-nio"};

    /**
     * The TLS servers of the TLS cells: a plain kind with {@code -tls} (the JDK's engine) or
     * {@code -tls-openssl} (Netty's OpenSSL engine) appended; TLS 1.3 with {@link BenchTls}'s certificate.
     */
    String[] TLS_KINDS = {"guest-nio-tls", "guest-netty-tls", "netty-tls", "vertx-tls", "guest-nio-tls-openssl",
            "guest-netty-tls-openssl", "netty-tls-openssl"};

    /** The suffix of the guest kinds whose endpoint echoes text as bytes; they run only in text workloads. */
    String TEXT_AS_BYTES = "-utf8";

    /** Starts serving and returns the bound port. */
    int start() throws IOException;

    /** The single thread that runs the server's loop. */
    Thread loopThread();

    /** True when clients must speak WebSocket to this server; false for the raw byte echo. */
    boolean websocket();

    /**
     * What the server echoed so far: messages for a WebSocket server, bytes for the raw echo (see
     * {@link #websocket()}); -1 when the server does not count. Any thread.
     */
    default long echoed() {
        return -1;
    }

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
        BenchTls.Engine tls = tls(kind);
        String plain = plain(kind);
        if (plain.startsWith("guest-") && plain.endsWith(TEXT_AS_BYTES)) {
            String backend = plain.substring("guest-".length(), plain.length() - TEXT_AS_BYTES.length());
            return new GuestEchoServer(backend, GuestEchoServer.TextPath.UTF8_BYTES);
        }
        if (plain.startsWith("guest-")) {
            return new GuestEchoServer(plain.substring("guest-".length()), tls);
        }
        return switch (plain) {
            case "netty" -> new NettyEchoServer("nio", tls);
            case "netty-epoll" -> new NettyEchoServer("epoll", tls);
            case "netty-io_uring" -> new NettyEchoServer("io_uring", tls);
            case "vertx" -> new VertxEchoServer(tls);
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

    /**
     * True when {@code kind} runs in a workload of {@code payload}: every kind does in the text ones; the
     * {@link #TEXT_AS_BYTES} kinds do not in the binary ones, where they would repeat their {@code String}-path twins.
     */
    static boolean runsIn(String kind, Payload payload) {
        return payload.isText() || !kind.endsWith(TEXT_AS_BYTES);
    }

    /** The engine of a TLS kind, or null for a plain one. */
    static BenchTls.Engine tls(String kind) {
        return kind.endsWith("-tls-openssl") ? BenchTls.Engine.OPENSSL : kind.endsWith("-tls") ? BenchTls.Engine.JDK : null;
    }

    /** The kind without its TLS suffix. */
    static String plain(String kind) {
        return kind.replaceFirst("-tls(-openssl)?$", "");
    }

    /** False for the raw byte echo, whose clients send bare bytes, and whose {@link #echoed()} counts bytes. */
    static boolean speaksWebSocket(String kind) {
        return !kind.equals("raw-nio");
    }

    /** The URI a client of {@code kind} listening on {@code port} connects to. */
    static String uri(String kind, int port) {
        if (!speaksWebSocket(kind)) {
            return "raw://127.0.0.1:" + port;
        }
        return (tls(kind) == null ? "ws" : "wss") + "://127.0.0.1:" + port + "/echo";
    }
}
