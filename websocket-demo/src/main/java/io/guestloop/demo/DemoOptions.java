package io.guestloop.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The demo's command line, parsed: which backend, where to listen, how many service threads, how
 * often the server clock speaks. An immutable value.
 *
 * <p><b>Threading:</b> immutable and thread-safe.
 *
 * @param backend     {@code nio}, {@code netty}, {@code vertx} or {@code legacy}
 * @param transport   the host's loops: {@code nio}, {@code epoll} or {@code io_uring} for netty
 *                    and vertx; {@code nio} for the others, whose loops are {@code java.nio}'s
 * @param host        the address to bind, {@code 127.0.0.1} unless asked otherwise
 * @param port        the page and WebSocket port; 0 lets the OS pick
 * @param nativePort  the port of the host's own {@code GET /native} endpoint (netty and vertx);
 *                    {@code port + 1} unless asked otherwise, 0 when {@code port} is 0
 * @param threads     how many service threads the guest runs on
 * @param clockPeriod how often the server time is posted to the chat
 * @param help        true when {@code --help} was asked for: print {@link #USAGE} and stop
 * @param tls         serve the page and the WebSocket endpoints over TLS ({@code https://}, {@code wss://})
 * @param keyStore    the key store with the server's key and certificate chain; null for a
 *                    self-signed certificate made at start-up (when {@code tls})
 * @param keyStorePassword the key store's password (and its key's), or null
 */
public record DemoOptions(String backend, String transport, String host, int port, int nativePort, int threads,
                          Duration clockPeriod, boolean help, boolean tls, Path keyStore, String keyStorePassword) {

    /** The backends the demo knows how to host. */
    public static final List<String> BACKENDS = List.of("nio", "netty", "vertx", "legacy");
    /** The transports a netty or vertx host may run its loops on. */
    public static final List<String> TRANSPORTS = List.of("nio", "epoll", "io_uring");

    /** What {@code --help} prints. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar guestloop-websocket-demo.jar [options]",
            "",
            "Serves one page at / (a chat room and an echo box) and the WebSocket endpoints",
            "/ws/echo and /ws/chat, with guestloop running as a guest on the chosen backend.",
            "",
            "Options:",
            "  --backend NAME     nio (default, a loop of its own), netty, vertx or legacy",
            "  --transport NAME   netty and vertx: the host's loops, nio, epoll or io_uring (default: as the",
            "                     host would pick: netty epoll where it runs, else nio; vertx nio)",
            "  --host ADDRESS     the address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --port N           the page and WebSocket port (default 7681; 0 lets the OS pick)",
            "  --native-port N    netty and vertx: the host's own GET /native endpoint (default port + 1)",
            "  --threads N        service threads of the guest (default 1; nio and netty only)",
            "  --clock-ms N       how often the server time is posted to the chat, in ms (default 5000)",
            "  --tls              serve https:// and wss:// (without --keystore: a self-signed certificate made",
            "                     at start-up, printed with its SHA-256 fingerprint)",
            "  --keystore FILE    --tls with the key and certificate chain of this PKCS12 (or JKS) key store",
            "  --keystore-password PASSWORD   the key store's password (also its key's)",
            "  --help             print this and exit",
            "",
            "Ctrl-C closes every connection (code 1001) and stops the server.");

    /** The defaults: nio on 127.0.0.1:7681, native endpoint on 7682, one thread, a 5 s clock. */
    public static DemoOptions defaults() {
        return new DemoOptions("nio", "nio", "127.0.0.1", 7681, 7682, 1, Duration.ofSeconds(5), false, false, null, null);
    }

    /**
     * Parses {@code args}: each option as {@code --name value} or {@code --name=value}.
     *
     * @throws IllegalArgumentException for an unknown option, a missing or bad value, with a
     *                                  message that says what was expected and what was found
     */
    public static DemoOptions parse(String... args) {
        String backend = "nio";
        String transport = null;
        String host = "127.0.0.1";
        int port = 7681;
        Integer nativePort = null;
        int threads = 1;
        long clockMs = 5000;
        boolean tls = false;
        Path keyStore = null;
        String keyStorePassword = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new DemoOptions(backend, "nio", host, port, port, threads, Duration.ofMillis(clockMs), true, false, null, null);
            }
            if (arg.equals("--tls")) {
                tls = true; // a flag: it takes no value
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected an option such as --port, found '" + arg + "'");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                value = null;
            }
            switch (name) {
                case "--backend" -> {
                    String b = need(name, value).toLowerCase(Locale.ROOT);
                    if (!BACKENDS.contains(b)) {
                        throw new IllegalArgumentException("--backend expects one of " + String.join(", ", BACKENDS)
                                + ", found '" + value + "'");
                    }
                    backend = b;
                }
                case "--transport" -> {
                    String t = need(name, value).toLowerCase(Locale.ROOT);
                    if (!TRANSPORTS.contains(t)) {
                        throw new IllegalArgumentException("--transport expects one of " + String.join(", ", TRANSPORTS)
                                + ", found '" + value + "'");
                    }
                    transport = t;
                }
                case "--host" -> host = need(name, value);
                case "--port" -> port = number(name, value, 0, 65535);
                case "--native-port" -> nativePort = number(name, value, 0, 65535);
                case "--threads" -> threads = number(name, value, 1, 256);
                case "--clock-ms" -> clockMs = number(name, value, 10, Integer.MAX_VALUE);
                case "--keystore" -> keyStore = Path.of(need(name, value));
                case "--keystore-password" -> keyStorePassword = need(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + "; the options are --backend, --transport, --host, --port, --native-port, --threads, --clock-ms, "
                        + "--tls, --keystore, --keystore-password, --help");
            }
        }
        if (keyStore != null) {
            tls = true;
            if (keyStorePassword == null) {
                throw new IllegalArgumentException("--keystore " + keyStore + " needs --keystore-password too");
            }
        } else if (keyStorePassword != null) {
            throw new IllegalArgumentException("--keystore-password is for --keystore, which is missing");
        }
        if (threads != 1 && (backend.equals("vertx") || backend.equals("legacy"))) {
            throw new IllegalArgumentException("--threads " + threads + " cannot be served by backend " + backend
                    + ": its host runs the guest on one " + (backend.equals("vertx") ? "verticle context" : "legacy loop")
                    + ", which is one thread; use --threads 1, or --backend nio or netty for more");
        }
        boolean hostHasLoops = backend.equals("netty") || backend.equals("vertx");
        if (transport != null && !hostHasLoops && !transport.equals("nio")) {
            throw new IllegalArgumentException("--transport " + transport + " is for the netty and vertx hosts, whose loops "
                    + "may be native; backend " + backend + " runs java.nio loops: drop --transport or use --backend netty");
        }
        if (transport == null) {
            transport = backend.equals("netty") ? Transports.nettyDefault() : "nio";
        }
        int nativeDefault;
        if (nativePort != null) {
            nativeDefault = nativePort;
        } else if (port == 0) {
            nativeDefault = 0;
        } else if (port == 65535) {
            throw new IllegalArgumentException("--port 65535 leaves no port + 1 for the native endpoint: pick a lower port or give --native-port");
        } else {
            nativeDefault = port + 1;
        }
        if (port != 0 && nativeDefault == port) {
            throw new IllegalArgumentException("--native-port must differ from --port, both are " + port);
        }
        return new DemoOptions(backend, transport, host, port, nativeDefault, threads, Duration.ofMillis(clockMs), false,
                tls, keyStore, keyStorePassword);
    }

    /** The options, with the key store's password left out. */
    @Override
    public String toString() {
        return "DemoOptions[backend=" + backend + ", transport=" + transport + ", host=" + host + ", port=" + port
                + ", nativePort=" + nativePort + ", threads=" + threads + ", clockPeriod=" + clockPeriod + ", help=" + help
                + ", tls=" + tls + ", keyStore=" + keyStore + (keyStorePassword != null ? ", keyStorePassword=***]" : "]");
    }

    private static String need(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a value, found none");
        }
        return value;
    }

    private static int number(String name, String value, int min, int max) {
        need(name, value);
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below, which says what is accepted
        }
        throw new IllegalArgumentException(name + " expects a whole number from " + min + " to " + max + ", found '" + value + "'");
    }
}
