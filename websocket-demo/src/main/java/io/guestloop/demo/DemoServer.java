package io.guestloop.demo;

import io.guestloop.GuestContext;
import io.guestloop.tls.ServerTls;
import io.guestloop.websocket.WebSocketServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo, composed: a host loop of the chosen backend, a guest context on it, and on that context
 * one {@link WebSocketServer} serving the page at {@code /}, an echo at {@code /ws/echo} and a chat
 * at {@code /ws/chat}, plus a {@link ServerClock} that posts the time to the chat from a thread of
 * its own. On netty and vertx the host also answers {@code GET /native} on its own loop.
 *
 * <pre>{@code
 * DemoServer demo = DemoServer.start(DemoOptions.parse("--port", "0"));
 * URI page = demo.pageUri();
 * ...
 * demo.close().toCompletableFuture().join();
 * }</pre>
 *
 * <p><b>Threading:</b> every method may be called from any thread.
 */
public final class DemoServer {

    private static final System.Logger LOG = System.getLogger(DemoServer.class.getName());

    /** How long shutdown waits for browsers to answer the close handshake before cutting them off. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

    private final DemoHost host;
    private final GuestContext context;
    private final ChatRooms rooms;
    private final ServerClock clock;
    private final InetSocketAddress address;
    private final OptionalInt nativePort;
    /** Null without {@code --tls}. */
    private final DemoTls tls;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();

    private DemoServer(DemoHost host, GuestContext context, ChatRooms rooms, ServerClock clock,
                       InetSocketAddress address, OptionalInt nativePort, DemoTls tls) {
        this.host = host;
        this.context = context;
        this.rooms = rooms;
        this.clock = clock;
        this.address = address;
        this.nativePort = nativePort;
        this.tls = tls;
    }

    /**
     * Starts the demo as {@code options} say and returns once it accepts connections.
     *
     * @throws IllegalArgumentException for a backend this build cannot host
     * @throws UncheckedIOException     when a port cannot be bound
     */
    public static DemoServer start(DemoOptions options) {
        byte[] page = loadPage();
        DemoHost host = DemoHost.forName(options.backend(), options.threads(), options.transport());
        try {
            OptionalInt nativePort;
            try {
                nativePort = host.startNative(options.host(), options.nativePort());
            } catch (IOException e) {
                throw new UncheckedIOException("the " + host.backend() + " host cannot serve its native endpoint on "
                        + options.host() + ":" + options.nativePort() + ": " + e.getMessage()
                        + "; pick another port with --native-port", e);
            }
            ChatRooms rooms = new ChatRooms();
            WebSocketServer server = WebSocketServer.builder()
                    .page("/", "text/html; charset=utf-8", page)
                    .endpoint("/ws/echo", new EchoEndpoint())
                    .endpoint("/ws/chat", new ChatEndpoint(rooms, nativePort.orElse(0)))
                    // the default origin check: a page of this server may open the chat, another site may not
                    .config(ChatLimits.webSocketConfig())
                    .build();
            DemoTls tls = !options.tls() ? null
                    : options.keyStore() != null ? DemoTls.load(options.keyStore(), options.keyStorePassword())
                    : DemoTls.selfSigned(options.host());
            InetSocketAddress listen = new InetSocketAddress(options.host(), options.port());
            GuestContext.Builder builder = GuestContext.builder()
                    // set here, not left to the defaults, because ChatLimits.heapBound counts them
                    .readBufferSize(ChatLimits.READ_BUFFER)
                    .writeQueueWaterMarks(ChatLimits.LOW_WATER, ChatLimits.HIGH_WATER)
                    .protocol(rooms);
            GuestContext context = host.buildGuest(tls == null ? builder.listen(listen, server)
                    : builder.listen(listen, ServerTls.of(tls.context()), server));
            InetSocketAddress bound = (InetSocketAddress) context.listeners().get(0).localAddress();
            ServerClock clock = ServerClock.start(options.clockPeriod(), Clock.systemUTC(), rooms::broadcast);
            DemoServer demo = new DemoServer(host, context, rooms, clock, bound, nativePort, tls);
            context.closed().whenComplete((v, e) -> demo.onContextClosed());
            return demo;
        } catch (RuntimeException e) {
            host.stop();
            throw e;
        }
    }

    /** The backend the guest runs on. */
    public String backend() {
        return context.backendName();
    }

    /** The bound address of the page and the WebSocket endpoints. */
    public InetSocketAddress address() {
        return address;
    }

    /** The page's URL ({@code https://} with {@code --tls}); a wildcard bind address is shown as 127.0.0.1. */
    public URI pageUri() {
        return URI.create((tls != null ? "https://" : "http://") + hostForUri() + ":" + address.getPort() + "/");
    }

    /** The server's TLS certificate, or null without {@code --tls}. */
    public X509Certificate certificate() {
        return tls == null ? null : tls.certificate();
    }

    /** The SHA-256 fingerprint of {@link #certificate()} (colon-separated hex), or null without {@code --tls}. */
    public String certificateFingerprint() {
        return tls == null ? null : tls.fingerprint();
    }

    /** True when the TLS certificate was made at start-up (no {@code --keystore}). */
    public boolean selfSigned() {
        return tls != null && tls.selfSigned();
    }

    /** The URL of the host's native endpoint, or null when this backend's host has none. */
    public URI nativeUri() {
        return nativePort.isPresent() ? URI.create("http://" + hostForUri() + ":" + nativePort.getAsInt() + "/native") : null;
    }

    /** The guest context, for tests and for applications that embed the demo. */
    public GuestContext context() {
        return context;
    }

    /**
     * Stops the demo: the clock stops, every WebSocket is closed with 1001 (waiting a few seconds
     * at most for the peers' answers), the guest context closes, then the host loop. Idempotent.
     *
     * @return completes when everything is released
     */
    public CompletionStage<Void> close() {
        if (closing.compareAndSet(false, true)) {
            clock.close();
            context.shutdown(CLOSE_GRACE); // every WebSocket closes with 1001; what is left at the end is closed
        }
        return stopped;
    }

    /** Completes when the demo has stopped, by {@link #close()} or because its loop went away. */
    public CompletionStage<Void> stopped() {
        return stopped;
    }

    private void onContextClosed() {
        clock.stop();   // no join: this may run on a loop thread, which must not wait
        host.stop().whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.WARNING, "the " + host.backend() + " host did not stop cleanly", e);
            }
            stopped.complete(null);
        });
    }

    private String hostForUri() {
        String h = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private static byte[] loadPage() {
        try (InputStream in = DemoServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("io/guestloop/demo/index.html is missing from the class path: "
                        + "the demo jar was built without its resources; rebuild it with mvn package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo page from the class path", e);
        }
    }
}
