package io.guestloop.netty;

import io.guestloop.GuestContext;
import io.guestloop.tck.Timeouts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The point of the backend: on ONE Netty loop thread, a native Netty HTTP server and a guest echo
 * listener serve real clients side by side; every guest callback runs on that thread; closing the
 * guest leaves the HTTP server serving and nothing of the guest with the loop's {@code IoHandler}.
 * On a NIO, an epoll and an io_uring loop alike.
 *
 * <p><b>Threading:</b> the test thread drives clients; servers run on the one loop thread.
 */
class SharedLoopTest {

    private static final int CLIENTS = 4;

    private EventLoopGroup group;
    private final Set<Thread> nettyHandlerThreads = ConcurrentHashMap.newKeySet();

    @AfterEach
    void shutDownHost() {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nettyHttpServerAndGuestEchoShareOneLoopThread(Transport transport) throws Exception {
        group = transport.newGroup(1);
        EventLoop loop = group.next();
        Thread loopThread = Timeouts.await(CompletableFuture.supplyAsync(Thread::currentThread, loop), "the loop thread");
        Channel http = startHttpServer(transport);
        EchoHandler echo = new EchoHandler();
        GuestContext guest = GuestContext.builder()
                .hostLoop(group)
                .listen(new InetSocketAddress("127.0.0.1", 0), echo)
                .build();
        assertEquals("netty", guest.backendName());
        SocketAddress echoAddress = guest.listeners().get(0).localAddress();

        // Every client holds its connection open until all have been answered: both servers are
        // serving at the same time, on the one thread.
        CountDownLatch allAnswered = new CountDownLatch(2 * CLIENTS);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(2 * CLIENTS); // each client blocks
        try {
            for (int i = 0; i < CLIENTS; i++) {
                String word = "ping-" + i;
                answers.add(CompletableFuture.supplyAsync(() -> echoTwice(echoAddress, word, allAnswered), clients));
                answers.add(CompletableFuture.supplyAsync(() -> httpGetHoldingOpen(http.localAddress(), allAnswered), clients));
            }
            for (int i = 0; i < answers.size(); i++) {
                String expected = i % 2 == 0 ? "ping-" + i / 2 : "hello from netty";
                assertEquals(expected, Timeouts.await(answers.get(i), "client " + i));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(CLIENTS, echo.opened.get(), "guest connections opened");
        assertTrue(guestHandlesNow(loop) >= 1, "the guest listener is not watched by the loop");

        Timeouts.await(guest.close(), "the guest context to close");

        assertEquals(Set.of(loopThread), echo.callbackThreads, "threads that ran guest callbacks");
        assertEquals(Set.of(loopThread), nettyHandlerThreads, "threads that ran the Netty HTTP handler");
        assertEquals("hello from netty", httpGetHoldingOpen(http.localAddress(), new CountDownLatch(0)),
                "the native server after the guest closed");
        assertEquals(0, guestHandles(loop), "handles of the guest left with the loop's IoHandler");
    }

    private Channel startHttpServer(Transport transport) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                        nettyHandlerThreads.add(Thread.currentThread());
                                        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK,
                                                Unpooled.copiedBuffer("hello from netty", StandardCharsets.US_ASCII));
                                        response.headers().set(HttpHeaderNames.CONTENT_LENGTH,
                                                response.content().readableBytes());
                                        ctx.writeAndFlush(response);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Sends {@code word}, reads it back, waits for every other client, then does it once more. */
    private static String echoTwice(SocketAddress address, String word, CountDownLatch allAnswered) {
        try (Socket socket = connect(address)) {
            String first = exchange(socket, word);
            allAnswered.countDown();
            Timeouts.await(allAnswered, "every client to be answered once");
            String second = exchange(socket, word);
            assertEquals(first, second);
            return first;
        } catch (IOException e) {
            throw new AssertionError("echo client failed", e);
        }
    }

    private static String exchange(Socket socket, String word) throws IOException {
        byte[] bytes = word.getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(bytes);
        byte[] back = socket.getInputStream().readNBytes(bytes.length);
        return new String(back, StandardCharsets.US_ASCII);
    }

    /** One keep-alive GET, answered; the connection stays open until every client was answered. */
    private static String httpGetHoldingOpen(SocketAddress address, CountDownLatch allAnswered) {
        try (Socket socket = connect(address)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String body = readHttpBody(socket.getInputStream());
            allAnswered.countDown();
            Timeouts.await(allAnswered, "every client to be answered once");
            return body;
        } catch (IOException e) {
            throw new AssertionError("HTTP client failed", e);
        }
    }

    private static String readHttpBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase();
        int at = headers.indexOf("content-length:");
        int length = Integer.parseInt(headers.substring(at + 15, headers.indexOf("\r\n", at)).trim());
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static Socket connect(SocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        socket.connect(address, (int) Timeouts.AWAIT.toMillis());
        return socket;
    }

    /**
     * Counts the guest's handles registered with the loop's {@code IoHandler}: the keys in a NIO
     * loop's selector, the registrations of an epoll or io_uring handler. Netty has no public view of
     * them, so this reads them by reflection (tests run on the class path). A NIO loop drops a
     * cancelled key at its next select; host tasks make it select until it has.
     */
    private static int guestHandles(EventLoop loop) {
        long deadline = System.nanoTime() + Timeouts.AWAIT.toNanos();
        int count;
        do {
            count = guestHandlesNow(loop);
        } while (count > 0 && System.nanoTime() - deadline < 0);
        return count;
    }

    private static int guestHandlesNow(EventLoop loop) {
        return Timeouts.await(CompletableFuture.supplyAsync(() -> countGuestHandles(loop), loop), "a look at the IoHandler");
    }

    private static int countGuestHandles(EventLoop loop) {
        try {
            Method ioHandler = SingleThreadIoEventLoop.class.getDeclaredMethod("ioHandler");
            ioHandler.setAccessible(true);
            Object handler = ioHandler.invoke(loop);
            List<Object> registrations = new ArrayList<>();
            if (handler instanceof NioIoHandler) {
                Method selectorMethod = NioIoHandler.class.getDeclaredMethod("selector");
                selectorMethod.setAccessible(true);
                for (SelectionKey key : ((Selector) selectorMethod.invoke(handler)).keys()) {
                    registrations.add(key.attachment());
                }
            } else {
                Field field = handler.getClass().getDeclaredField("registrations");
                field.setAccessible(true);
                registrations.addAll(((Map<?, ?>) field.get(handler)).values());
            }
            int guest = 0;
            for (Object registration : registrations) {
                if (handleOf(registration).getClass().getName().startsWith("io.guestloop.")) {
                    guest++;
                }
            }
            return guest;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot inspect the Netty loop's IoHandler: " + e, e);
        }
    }

    private static Object handleOf(Object registration) throws ReflectiveOperationException {
        try {
            Method handle = registration.getClass().getDeclaredMethod("handle");
            handle.setAccessible(true);
            return handle.invoke(registration);
        } catch (NoSuchMethodException e) {
            Field handle = registration.getClass().getDeclaredField("handle");
            handle.setAccessible(true);
            return handle.get(registration);
        }
    }
}
