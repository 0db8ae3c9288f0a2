package io.guestloop.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain Vert.x 5 WebSocket echo: {@code Vertx} with one event loop, an {@code HttpServer} created
 * and listening on that loop's context (for TLS with {@code setSsl(true)} and the benchmark's key), whose WebSocket handler writes each whole message back.
 * Vert.x accepts on its own acceptor thread and hands each connection to the event loop; that
 * thread does nothing once the connections are open.
 *
 * <p><b>Threading:</b> see {@link EchoServer}; the handlers run on the event loop.
 */
final class VertxEchoServer implements EchoServer {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final CompletableFuture<Thread> loopThread = new CompletableFuture<>();
    private final EchoCount echoed = new EchoCount();
    /** Null for plain WebSocket; else the JDK engine (Vert.x's default), TLS 1.3 only. */
    private final BenchTls.Engine tls;
    private final Deflate deflate;

    VertxEchoServer(BenchTls.Engine tls) {
        this(tls, Deflate.OFF);
    }

    /** With permessage-deflate as {@code deflate} says ({@code setPerMessageWebSocketCompressionSupported}). */
    VertxEchoServer(Deflate deflate) {
        this(null, deflate);
    }

    private VertxEchoServer(BenchTls.Engine tls, Deflate deflate) {
        if (tls == BenchTls.Engine.OPENSSL) {
            throw new IllegalArgumentException("the Vert.x TLS cell runs on the JDK engine only");
        }
        this.tls = tls;
        this.deflate = deflate;
    }

    @Override
    public int start() {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            loopThread.complete(Thread.currentThread());
            HttpServerOptions options = deflate.vertx(new HttpServerOptions()
                    .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 20).setWebSocketClosingTimeout(1));
            if (tls != null) {
                options.setSsl(true)
                        .setKeyCertOptions(new PfxOptions().setPath(BenchTls.ensureKeystore().toString()).setPassword(BenchTls.PASSWORD))
                        .setEnabledSecureTransportProtocols(new java.util.HashSet<>(BenchTls.PROTOCOLS));
            }
            HttpServer server = vertx.createHttpServer(options);
            server.webSocketHandler(ws -> {
                if (!ws.path().equals("/echo")) {
                    ws.close((short) 1008, "only /echo here");
                    return;
                }
                ws.binaryMessageHandler(message -> {
                    ws.writeBinaryMessage(message);
                    echoed.add(1);
                });
                ws.textMessageHandler(message -> {
                    ws.writeTextMessage(message);
                    echoed.add(1);
                });
            });
            server.listen(0, "127.0.0.1").onComplete(ar -> {
                if (ar.succeeded()) {
                    port.complete(ar.result().actualPort());
                } else {
                    port.completeExceptionally(ar.cause());
                }
            });
        });
        return port.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public Thread loopThread() {
        return loopThread.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public boolean websocket() {
        return true;
    }

    @Override
    public long echoed() {
        return echoed.get();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
}
