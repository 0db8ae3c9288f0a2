package io.guestloop.demo;

import io.guestloop.GuestContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Vert.x application: one verticle whose start creates an {@code HttpServer} answering
 * {@code GET /native}; the guest is then built on that verticle's context, so the Vert.x request
 * handler and every guest callback run on the same context, on the same event-loop thread.
 *
 * <p>One context is one thread, so this host serves exactly one service thread.
 *
 * <p><b>Threading:</b> see {@link DemoHost}; the verticle and the guest run on the verticle's
 * context. The calling thread waits for Vert.x (never a loop thread: the demo starts from main).
 */
final class VertxHost implements DemoHost {

    /** How long start-up waits for Vert.x to deploy and build; only a broken machine gets near it. */
    private static final long START_SECONDS = 30;

    private final Vertx vertx;
    private NativeVerticle verticle;

    /**
     * @param transport {@code nio}, {@code epoll} ({@code setPreferNativeTransport(true)}) or
     *                  {@code io_uring} ({@code Transport.IO_URING})
     * @throws IllegalArgumentException when Vert.x cannot run on the native transport here
     */
    VertxHost(String transport) {
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(1);
        Vertx made = switch (transport) {
            case "epoll" -> Vertx.vertx(options.setPreferNativeTransport(true));
            case "io_uring" -> Vertx.builder().with(options).withTransport(io.vertx.core.transport.Transport.IO_URING).build();
            default -> Vertx.vertx(options);
        };
        if (!transport.equals("nio") && !made.isNativeTransportEnabled()) {
            Throwable cause = made.unavailableNativeTransportCause();
            made.close();
            throw new IllegalArgumentException("Vert.x cannot run on its native " + transport + " transport here (" + cause
                    + "); pick another with --transport");
        }
        this.vertx = made;
    }

    @Override
    public String backend() {
        return "vertx";
    }

    @Override
    public OptionalInt startNative(String bindHost, int port) throws IOException {
        NativeVerticle v = new NativeVerticle(bindHost, port);
        try {
            vertx.deployVerticle(v).toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Vert.x did not deploy the native endpoint's verticle within " + START_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deploying the native endpoint", e);
        }
        verticle = v;
        return OptionalInt.of(v.boundPort);
    }

    @Override
    public GuestContext buildGuest(GuestContext.Builder guest) {
        if (verticle == null) {
            throw new IllegalStateException("startNative must deploy the verticle before the guest is built on its context");
        }
        Context context = verticle.context();
        CompletableFuture<GuestContext> built = new CompletableFuture<>();
        // Built on the verticle's own context, as a verticle's start() would.
        context.runOnContext(ignored -> {
            try {
                built.complete(guest.backend("vertx").hostLoop(context).build());
            } catch (RuntimeException e) {
                built.completeExceptionally(e);
            }
        });
        try {
            return built.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the verticle's context did not build the guest within " + START_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the guest on Vert.x", e);
        }
    }

    @Override
    public CompletionStage<Void> stop() {
        return vertx.close().toCompletionStage();
    }

    /** Serves {@code GET /native} from its own context; 404 elsewhere, 405 for other methods. */
    private static final class NativeVerticle extends VerticleBase {
        private final String host;
        private final int port;
        private volatile int boundPort;
        private long answered;   // the verticle's context only

        NativeVerticle(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Context context() {
            return context;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer()
                    .requestHandler(this::answer)
                    .listen(port, host)
                    .onSuccess(server -> boundPort = server.actualPort());
        }

        private void answer(HttpServerRequest request) {
            request.response()
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    // The demo page lives on the other port: without this its fetch() is refused.
                    .putHeader("Access-Control-Allow-Origin", "*");
            if (!request.path().equals("/native")) {
                request.response().setStatusCode(404).end("only GET /native here\n");
            } else if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
                request.response().setStatusCode(405).end("only GET /native here\n");
            } else {
                request.response().end("Hello from Vert.x's own HTTP server (a request handler of a verticle), request "
                        + ++answered + ".\nIt ran on thread " + Thread.currentThread().getName()
                        + ", the event loop of the verticle's context, which also runs the guest's WebSocket server.\n");
            }
        }
    }
}
