package io.guestloop;

import io.guestloop.internal.ContextSpec;
import io.guestloop.internal.GuestCore;
import io.guestloop.tls.ServerTls;

import java.net.SocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * One instance of a guest protocol stack on a host loop (libwebsockets: {@code lws_context}).
 *
 * <p><b>Threading:</b> {@link #cancelService()} (and each {@link ServiceThread#cancelService()}) is the
 * door meant to be called from any thread at any time: it never blocks, coalesces, and is never lost.
 * {@link #close()}, {@link #shutdown}, {@link #closed()}, {@link #serviceThreads()},
 * {@link #listeners()}, {@link #backendName()} and {@link #channelProvider()} may also be called from
 * any thread; {@link #run()} blocks its caller by design. Everything else happens on the service
 * threads.
 *
 * <pre>{@code
 * GuestContext ctx = GuestContext.builder()
 *         .listen(new InetSocketAddress("127.0.0.1", 0), new EchoHandler())
 *         .build();                       // nio backend, one service thread per core
 * SocketAddress bound = ctx.listeners().get(0).localAddress();
 * ...
 * ctx.close().toCompletableFuture().join();
 * }</pre>
 */
public interface GuestContext {

    /** A new builder; every setting has a default. */
    static Builder builder() {
        return new Builder();
    }

    /** The service threads, fixed for the context's life; index {@code i} is thread {@code i}. */
    List<ServiceThread> serviceThreads();

    /** The name of the backend serving this context ({@code nio}, {@code netty}, ...). */
    String backendName();

    /** The listeners asked for with {@link Builder#listen}, bound by {@link Builder#build()}. */
    List<Listener> listeners();

    /**
     * Makes channels this context's loops can watch: the ones {@link ServiceThread#adopt} takes. It is
     * the JDK's own provider on every backend whose loop watches {@code java.nio} channels; on a loop
     * that watches file descriptors instead (Netty's epoll and io_uring loops) it is the backend's, and
     * a channel the JDK made cannot be adopted there: open it with this provider
     * ({@code openSocketChannel()}, {@code openServerSocketChannel()}, {@code openPipe()}, ...) instead.
     * Any thread.
     */
    SelectorProvider channelProvider();

    /**
     * Wakes every service thread, which then calls {@link ConnectionHandler#onEventWaitCancelled} of
     * every handler bound there and {@link Protocol#onEventWaitCancelled} of every protocol, protocols
     * first (libwebsockets: {@code lws_cancel_service}). Thread-safe and non-blocking; calls that pile up
     * before a thread gets to them make one callback; a call made while that callback runs makes
     * another. Ignored once the context is closed.
     */
    void cancelService();

    /**
     * Closes the context: every listener, connection, timer and registration of the guest is
     * released, each connection's {@link ConnectionHandler#onClosed} and each protocol's
     * {@link Protocol#onStop} called on its thread. A host loop the context borrowed keeps running;
     * threads the backend owns stop. Any thread; idempotent.
     *
     * @return completes when every guest resource is released
     */
    CompletionStage<Void> close();

    /**
     * Closes the context politely: every listener stops accepting at once, every connection's
     * handler hears {@link ConnectionHandler#onShutdown} (by default the connection closes once its
     * queued writes have left), and the context closes as {@link #close()} does when the last
     * connection has closed, or when {@code grace} has passed, whichever comes first: what is still
     * open then is closed at once. A stack closes its sessions politely in {@code onShutdown} (the
     * WebSocket stack sends a 1001 close frame and waits for the reply). {@link #close()} during a
     * shutdown closes at once. Any thread; idempotent (a later call does not extend the grace).
     *
     * @param grace how long connections may take to finish; zero is {@link #close()}
     * @return completes when every guest resource is released
     * @throws IllegalArgumentException for a negative grace
     */
    CompletionStage<Void> shutdown(Duration grace);

    /**
     * Completes when the context has closed, whether by {@link #close()}, {@link #shutdown}, or
     * because the host loop shut down underneath it.
     */
    CompletionStage<Void> closed();

    /**
     * Runs the context's single loop on the calling thread until the context is closed (from a
     * callback, from another thread, or by the host). Only for a context built with
     * {@link Builder#runOnCallingThread()}.
     *
     * @throws IllegalStateException when the context was not built to run on the caller
     */
    void run();

    /**
     * Collects the settings of a context. Not thread-safe: use one builder on one thread.
     */
    final class Builder {
        private Object hostLoop;
        private String backend;
        private int serviceThreads;
        private boolean runOnCaller;
        private final List<Protocol> protocols = new ArrayList<>();
        private final List<ContextSpec.ListenSpec> listens = new ArrayList<>();
        private ErrorHandler errorHandler;
        private int lowWaterMark = 32 * 1024;
        private int highWaterMark = 64 * 1024;
        private int readBufferSize = 64 * 1024;
        private Duration watchdogThreshold = Duration.ofMillis(200);

        Builder() {
        }

        /**
         * The application's loop to run on: a Netty {@code EventLoopGroup} or {@code EventLoop}, a
         * Vert.x {@code Vertx} or {@code Context}, a legacy loop with a shim, or {@code null} (the
         * default) for a loop of the context's own.
         */
        public Builder hostLoop(Object hostLoop) {
            this.hostLoop = hostLoop;
            return this;
        }

        /**
         * Forces the backend with this provider name, overriding the system property
         * {@code guestloop.backend} and selection by host loop.
         */
        public Builder backend(String name) {
            this.backend = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * How many service threads (0, the default: one per core for an owned loop, every loop of a
         * borrowed group).
         */
        public Builder serviceThreads(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("serviceThreads must be >= 0, was " + count);
            }
            this.serviceThreads = count;
            return this;
        }

        /**
         * Starts no thread: the context's single loop runs on the thread that calls
         * {@link GuestContext#run()}. Only for backends that own their loop (nio).
         */
        public Builder runOnCallingThread() {
            this.runOnCaller = true;
            return this;
        }

        /** Adds a protocol, started on every service thread. */
        public Builder protocol(Protocol protocol) {
            protocols.add(Objects.requireNonNull(protocol, "protocol"));
            return this;
        }

        /**
         * Adds a TCP listener: bound by {@link #build()} (which fails when the address cannot be
         * bound), accepting on service thread 0 and spreading connections over every thread.
         */
        public Builder listen(SocketAddress address, ConnectionHandler handler) {
            listens.add(new ContextSpec.ListenSpec(Objects.requireNonNull(address, "address"), null,
                    Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /**
         * Adds a TLS listener, as {@link #listen(SocketAddress, ConnectionHandler)} adds a plain one:
         * each accepted connection does its handshake first and reaches {@code handler} as plaintext,
         * {@link ConnectionHandler#onOpen} once the handshake has completed.
         */
        public Builder listen(SocketAddress address, ServerTls tls, ConnectionHandler handler) {
            listens.add(new ContextSpec.ListenSpec(Objects.requireNonNull(address, "address"), Objects.requireNonNull(tls, "tls"),
                    Objects.requireNonNull(handler, "handler")));
            return this;
        }

        /** Where exceptions from guest code go; the default logs them through {@link System.Logger}. */
        public Builder errorHandler(ErrorHandler handler) {
            this.errorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Bounds each connection's write queue: at {@code high} bytes or more
         * {@link Connection#write} refuses and the handler is told; at {@code low} or fewer it is told
         * again. Defaults 32 KiB and 64 KiB.
         */
        public Builder writeQueueWaterMarks(int low, int high) {
            if (low < 0 || high <= 0 || low > high) {
                throw new IllegalArgumentException("need 0 <= low <= high and high > 0, got low=" + low + " high=" + high);
            }
            this.lowWaterMark = low;
            this.highWaterMark = high;
            return this;
        }

        /** The size of each service thread's shared read buffer (default 64 KiB). */
        public Builder readBufferSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("readBufferSize must be at least 256 bytes, was " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /**
         * A guest callback running longer than this is reported once (log and JFR event
         * {@code io.guestloop.BlockedLoop}, with the loop thread's stack). Default 200 ms;
         * {@link Duration#ZERO} turns the watchdog off.
         */
        public Builder watchdogThreshold(Duration threshold) {
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("watchdogThreshold must not be negative, was " + threshold);
            }
            this.watchdogThreshold = threshold;
            return this;
        }

        /**
         * Selects the backend, creates it, binds the listeners and starts every service thread.
         *
         * @throws IllegalStateException    when no backend fits: the message lists the providers found
         *                                  and the jar to add
         * @throws IllegalArgumentException when the chosen backend cannot serve this host loop
         * @throws java.io.UncheckedIOException when a listener cannot be bound; nothing is left open
         */
        public GuestContext build() {
            String forced = backend != null ? backend : System.getProperty("guestloop.backend");
            return GuestCore.start(new ContextSpec(hostLoop, forced, serviceThreads, runOnCaller,
                    List.copyOf(protocols), List.copyOf(listens), errorHandler, lowWaterMark, highWaterMark,
                    readBufferSize, watchdogThreshold));
        }
    }
}
