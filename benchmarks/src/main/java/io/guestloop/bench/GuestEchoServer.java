package io.guestloop.bench;

import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.tls.ServerTls;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketConfig;
import io.guestloop.websocket.WebSocketEndpoint;
import io.guestloop.websocket.WebSocketServer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * guestloop's {@link WebSocketServer} with an echo endpoint at {@code /echo}, on one service thread
 * of the chosen backend; for the TLS cells on a TLS listener (the guest core's TLS, with the JDK's or
 * Netty's OpenSSL engine).
 *
 * <p><b>Threading:</b> see {@link EchoServer}; the endpoint runs on the service thread.
 */
final class GuestEchoServer implements EchoServer {

    /** Large enough that a generator keeping 16 KiB messages in flight never meets backpressure. */
    private static final int HIGH_WATER = 1 << 20;

    private final String backend;
    /** Null for plain WebSocket; else the TLS engine of the listener. */
    private final BenchTls.Engine tls;
    private final Deflate deflate;
    private final CompletableFuture<Thread> loopThread = new CompletableFuture<>();
    private GuestHost host;

    GuestEchoServer(String backend, BenchTls.Engine tls) {
        this(backend, tls, Deflate.OFF);
    }

    GuestEchoServer(String backend, Deflate deflate) {
        this(backend, null, deflate);
    }

    private GuestEchoServer(String backend, BenchTls.Engine tls, Deflate deflate) {
        this.backend = backend;
        this.tls = tls;
        this.deflate = deflate;
    }

    /** The listener's TLS: the JDK's engine from an {@code SSLContext}, or Netty's OpenSSL engine through a factory. */
    private static ServerTls serverTls(BenchTls.Engine engine) {
        if (engine == BenchTls.Engine.JDK) {
            return ServerTls.of(BenchTls.jdkServerContext());
        }
        SslContext openssl = BenchTls.nettyServer(engine);
        return ServerTls.of((host, port) -> openssl.newEngine(ByteBufAllocator.DEFAULT, host, port));
    }

    @Override
    public int start() {
        WebSocketServer server = WebSocketServer.builder()
                .endpoint("/echo", new Echo())
                .config(WebSocketConfig.builder().maxFramePayload(1 << 20).maxMessageSize(1 << 20).perMessageDeflate(deflate.guest()).build())
                .build();
        GuestContext.Builder builder = GuestContext.builder()
                .writeQueueWaterMarks(HIGH_WATER / 2, HIGH_WATER)
                .protocol(new Protocol() {
                    @Override
                    public void onStart(ServiceThread thread) {
                        loopThread.complete(Thread.currentThread());
                    }
                });
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        host = GuestHost.start(backend, tls == null ? builder.listen(any, server) : builder.listen(any, serverTls(tls), server));
        return ((InetSocketAddress) host.context().listeners().get(0).localAddress()).getPort();
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
        if (host != null) {
            host.close();
        }
    }

    /** Sends every message back as it came; a refused send would stall the generator, so it is reported. */
    private static final class Echo implements WebSocketEndpoint {
        @Override
        public void onText(WebSocket socket, String text) {
            if (!socket.sendText(text)) {
                throw new IllegalStateException("echo refused by backpressure; raise HIGH_WATER");
            }
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            if (!socket.sendBinary(data)) {
                throw new IllegalStateException("echo refused by backpressure; raise HIGH_WATER");
            }
        }

        /** A generator ends its run by resetting its connections: no news. Anything else is logged. */
        @Override
        public void onError(WebSocket socket, Throwable error) {
            if (!(error instanceof java.io.IOException)) {
                WebSocketEndpoint.super.onError(socket, error);
            }
        }
    }
}
