package io.guestloop.vertx;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.tck.Timeouts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The point of the backend: one verticle serves HTTP with Vert.x and a guest echo protocol with
 * guestloop on the same context, on Vert.x's NIO, native epoll and io_uring transports. Guest code
 * calls the verticle and the verticle calls the guest with plain fields and no lock, because both
 * only ever run on that context's thread.
 *
 * <p><b>Threading:</b> the verticle and the guest run on the verticle's context; the test thread
 * only plays the clients.
 */
class VerticleHostsHttpServerAndGuestTest {

    private Vertx vertx;

    @AfterEach
    void closeVertx() {
        if (vertx != null) {
            Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");
        }
    }

    @ParameterizedTest
    @EnumSource(VertxFixture.Transport.class)
    void httpServerAndGuestEchoShareTheVerticleContextAndCallEachOtherWithoutLocks(VertxFixture.Transport transport) throws Exception {
        vertx = VertxFixture.newVertx(transport, 2);
        EchoAndHttpVerticle verticle = new EchoAndHttpVerticle();
        Timeouts.await(vertx.deployVerticle(verticle).toCompletionStage(), "the verticle to deploy");

        try (Socket echo = new Socket()) {
            echo.connect(verticle.guestAddress, 10_000);
            echo.setSoTimeout((int) Timeouts.AWAIT.toMillis());
            OutputStream out = echo.getOutputStream();
            InputStream in = echo.getInputStream();
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            assertEquals("ping", read(in, 4), "the guest echoes");

            // While the guest connection is open, HTTP asks the verticle, which asks the guest.
            String response = httpGet(verticle.httpPort, "/broadcast?msg=hello");
            assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
            assertTrue(response.endsWith("\r\n\r\nguest connections=1 bytes=4"),
                    "the verticle read what the guest told it: " + response);
            assertEquals("hello", read(in, 5), "the verticle wrote through the guest's connection");

            out.write("pong".getBytes(StandardCharsets.US_ASCII));
            assertEquals("pong", read(in, 4), "the guest still echoes after HTTP used it");
        }

        Context verticleContext = verticle.context();
        assertEquals(Set.of(Optional.of(verticleContext)), verticle.guestContexts,
                "Vertx.currentContext() in every guest callback is the verticle's context");
        assertEquals(Set.of(verticleContext), verticle.httpContexts,
                "HTTP handlers run on (a duplicate of) the verticle's context");
        assertEquals(1, verticle.threads.size(), "one thread for the verticle and the guest: " + verticle.threads);
    }

    /** A plain HTTP/1.1 client: one request, the whole response until the server closes. */
    private static String httpGet(int port, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout((int) Timeouts.AWAIT.toMillis());
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String read(InputStream in, int n) throws Exception {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * The verticle of the README's "Run inside Vert.x" section, with some bookkeeping for the test.
     * Its fields are plain: the HTTP handler and every guest callback run on its one context.
     */
    static final class EchoAndHttpVerticle extends VerticleBase {

        // Test bookkeeping, read by the test thread after the clients are done.
        final Set<Optional<Context>> guestContexts = ConcurrentHashMap.newKeySet();
        final Set<Context> httpContexts = ConcurrentHashMap.newKeySet();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        volatile InetSocketAddress guestAddress;
        volatile int httpPort;

        // The verticle's own state: no lock, no volatile needed for the code below.
        private final List<Connection> guestConnections = new ArrayList<>();
        private long guestBytes;
        private GuestContext guest;

        Context context() {
            return context;
        }

        /** Called by guest code. */
        void guestConnected(Connection c) {
            guestConnections.add(c);
        }

        /** Called by guest code. */
        void guestEchoed(int bytes) {
            guestBytes += bytes;
        }

        @Override
        public Future<?> start() {
            guest = GuestContext.builder()
                    .hostLoop(context)
                    .listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler() {
                        @Override
                        public void onOpen(Connection c) {
                            seenByGuest();
                            guestConnected(c);
                        }

                        @Override
                        public void onData(Connection c, ByteBuffer data) {
                            seenByGuest();
                            guestEchoed(data.remaining());
                            c.write(data);
                        }

                        @Override
                        public void onClosed(Connection c, Throwable cause) {
                            guestConnections.remove(c);
                        }
                    })
                    .build();
            guestAddress = (InetSocketAddress) guest.listeners().get(0).localAddress();
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                httpContexts.add(((ContextInternal) Vertx.currentContext()).unwrap());
                threads.add(Thread.currentThread());
                String message = request.getParam("msg");
                for (Connection c : guestConnections) {
                    c.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.US_ASCII)));
                }
                request.response().end("guest connections=" + guestConnections.size() + " bytes=" + guestBytes);
            });
            return server.listen(0, "127.0.0.1").onSuccess(s -> httpPort = s.actualPort());
        }

        @Override
        public Future<?> stop() {
            return Future.fromCompletionStage(guest.close());
        }

        private void seenByGuest() {
            guestContexts.add(Optional.ofNullable(Vertx.currentContext()));
            threads.add(Thread.currentThread());
        }
    }
}
