package io.guestloop.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain Vert.x 5 WebSocket echo: {@code Vertx} with one event loop, an {@code HttpServer} created
 * and listening on that loop's context, whose WebSocket handler writes each whole message back.
 * Vert.x accepts on its own acceptor thread and hands each connection to the event loop; that
 * thread does nothing once the connections are open.
 *
 * <p><b>Threading:</b> see {@link EchoServer}; the handlers run on the event loop.
 */
final class VertxEchoServer implements EchoServer {

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final CompletableFuture<Thread> loopThread = new CompletableFuture<>();
    private final Deflate deflate;

    VertxEchoServer() {
        this(Deflate.OFF);
    }

    /** With permessage-deflate as {@code deflate} says ({@code setPerMessageWebSocketCompressionSupported}). */
    VertxEchoServer(Deflate deflate) {
        this.deflate = deflate;
    }

    @Override
    public int start() {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            loopThread.complete(Thread.currentThread());
            HttpServerOptions options = deflate.vertx(new HttpServerOptions()
                    .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(1 << 20));
            HttpServer server = vertx.createHttpServer(options);
            server.webSocketHandler(ws -> {
                if (!ws.path().equals("/echo")) {
                    ws.close((short) 1008, "only /echo here");
                    return;
                }
                ws.binaryMessageHandler(ws::writeBinaryMessage);
                ws.textMessageHandler(ws::writeTextMessage);
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
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
}
