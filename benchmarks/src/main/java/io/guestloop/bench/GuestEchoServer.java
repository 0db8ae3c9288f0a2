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
 * Netty's OpenSSL engine). The endpoint takes text as {@link TextPath} says; binary always as a view.
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
    private final TextPath textPath;
    private final CompletableFuture<Thread> loopThread = new CompletableFuture<>();
    private final EchoCount echoed = new EchoCount();
    private GuestHost host;

    GuestEchoServer(String backend, BenchTls.Engine tls) {
        this(backend, tls, Deflate.OFF, TextPath.STRING);
    }

    GuestEchoServer(String backend, TextPath textPath) {
        this(backend, null, Deflate.OFF, textPath);
    }

    GuestEchoServer(String backend, Deflate deflate) {
        this(backend, null, deflate, TextPath.STRING);
    }

    private GuestEchoServer(String backend, BenchTls.Engine tls, Deflate deflate, TextPath textPath) {
        this.backend = backend;
        this.tls = tls;
        this.deflate = deflate;
        this.textPath = textPath;
    }

    /**
     * How the echo endpoint takes a text message and sends it back.
     *
     * <p><b>Threading:</b> immutable; any thread.
     */
    enum TextPath {
        /**
         * {@code onText(String)} then {@code sendText(CharSequence)}: the message is validated, decoded
         * to UTF-16 and encoded again, what an endpoint that works on strings pays.
         */
        STRING,
        /**
         * {@code receivesTextAsBytes()} true, {@code onTextBytes(ByteBuffer)} then {@code sendText(ByteBuffer)}:
         * the validated bytes go back as they came, with no decoding or encoding, as native Netty's echo does.
         */
        UTF8_BYTES
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
                .endpoint("/echo", new Echo(textPath, echoed))
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
    public long echoed() {
        return echoed.get();
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
        }
    }

    /** Sends every message back as it came; a refused send would stall the generator, so it is reported. */
    private static final class Echo implements WebSocketEndpoint {
        private final boolean textAsBytes;
        private final EchoCount echoed;

        Echo(TextPath textPath, EchoCount echoed) {
            this.textAsBytes = textPath == TextPath.UTF8_BYTES;
            this.echoed = echoed;
        }

        @Override
        public boolean receivesTextAsBytes() {
            return textAsBytes;
        }

        @Override
        public void onTextBytes(WebSocket socket, ByteBuffer utf8) {
            if (!socket.sendText(utf8)) {
                throw new IllegalStateException("echo refused by backpressure; raise HIGH_WATER");
            }
            echoed.add(1);
        }

        @Override
        public void onText(WebSocket socket, String text) {
            if (!socket.sendText(text)) {
                throw new IllegalStateException("echo refused by backpressure; raise HIGH_WATER");
            }
            echoed.add(1);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            if (!socket.sendBinary(data)) {
                throw new IllegalStateException("echo refused by backpressure; raise HIGH_WATER");
            }
            echoed.add(1);
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
