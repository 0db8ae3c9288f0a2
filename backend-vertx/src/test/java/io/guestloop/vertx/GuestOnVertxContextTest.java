package io.guestloop.vertx;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;
import io.guestloop.netty.NettyLoopOps;
import io.guestloop.netty.NettyLoopThread;
import io.guestloop.spi.LoopOptions;
import io.guestloop.spi.ThreadEvents;
import io.guestloop.tck.GuestHarness;
import io.guestloop.tck.Timeouts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest code runs as code of the host's Vert.x context: {@code Vertx.currentContext()} is that
 * context in every kind of callback, exceptions reach the context's exception handler, and Vert.x's
 * blocked-thread checker times guest callbacks.
 *
 * <p><b>Threading:</b> test thread; guest code on the loops through {@link GuestHarness} and
 * handlers.
 */
class GuestOnVertxContextTest {

    private static final SocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
    private Vertx vertx;

    private Context verticleContext(VertxOptions options) {
        vertx = Vertx.vertx(options);
        VertxFixture.ContextCapture verticle = new VertxFixture.ContextCapture();
        Timeouts.await(vertx.deployVerticle(verticle).toCompletionStage(), "the verticle to deploy");
        return verticle.started;
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (vertx != null) {
            Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");
        }
    }

    @Test
    void everyKindOfGuestCallbackSeesTheHostContextAsCurrentContext() throws Exception {
        Context host = verticleContext(new VertxOptions().setEventLoopPoolSize(2));
        Map<String, Optional<Context>> seen = new ConcurrentHashMap<>();
        CountDownLatch allSeen = new CountDownLatch(5);
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                record("onOpen");
                c.serviceThread().schedule(Duration.ofMillis(1), () -> record("timer"));
                c.serviceThread().context().cancelService();
            }

            @Override
            public void onData(Connection c, ByteBuffer data) {
                record("onData");
            }

            @Override
            public void onEventWaitCancelled(ServiceThread thread) {
                record("onEventWaitCancelled");
            }

            private void record(String callback) {
                if (seen.putIfAbsent(callback, currentContextOrNone()) == null) {
                    allSeen.countDown();
                }
            }
        };
        GuestContext guest = GuestContext.builder().hostLoop(host).listen(LOOPBACK, handler).protocol(new Protocol() {
            @Override
            public void onStart(ServiceThread thread) {
                seen.put("Protocol.onStart", currentContextOrNone());
                allSeen.countDown();
            }
        }).build();
        toClose.add(() -> Timeouts.await(guest.close(), "the guest to close"));
        Socket client = client(guest.listeners().get(0).localAddress());
        client.getOutputStream().write(1);
        Timeouts.await(allSeen, "every kind of callback to run");
        for (Map.Entry<String, Optional<Context>> e : seen.entrySet()) {
            assertSame(host, e.getValue().orElse(null), "Vertx.currentContext() in " + e.getKey());
        }
    }

    @Test
    void eachServiceThreadOnAVertxHostHasAContextOfItsOwnEventLoop() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(VertxFixture.EVENT_LOOPS));
        int n = VertxFixture.EVENT_LOOPS;
        try (GuestHarness h = GuestHarness.start(GuestContext.builder().hostLoop(vertx), n)) {
            for (int i = 0; i < n; i++) {
                Context first = h.call(i, Vertx::currentContext);
                Context again = h.call(i, Vertx::currentContext);
                assertSame(first, again, "service thread " + i + " always runs on the same context");
                assertTrue(first.isEventLoopContext(), "an event-loop context: " + first);
                assertTrue(h.call(i, () -> ((ContextInternal) Vertx.currentContext()).nettyEventLoop().inEventLoop()),
                        "the context's event loop is the service thread's loop");
            }
        }
    }

    @Test
    void exceptionFromGuestCodeReachesTheGuestErrorHandlerAndTheContextExceptionHandler() throws Exception {
        Context host = verticleContext(new VertxOptions().setEventLoopPoolSize(1));
        CompletableFuture<Throwable> toContext = new CompletableFuture<>();
        CompletableFuture<Throwable> toGuest = new CompletableFuture<>();
        host.exceptionHandler(toContext::complete);
        RuntimeException thrown = new IllegalStateException("a guest bug");
        GuestContext guest = GuestContext.builder().hostLoop(host)
                .errorHandler((thread, connection, error) -> toGuest.complete(error))
                .listen(LOOPBACK, new ConnectionHandler() {
                    @Override
                    public void onData(Connection c, ByteBuffer data) {
                        throw thrown;
                    }
                }).build();
        toClose.add(() -> Timeouts.await(guest.close(), "the guest to close"));
        Socket client = client(guest.listeners().get(0).localAddress());
        client.getOutputStream().write(1);
        assertSame(thrown, Timeouts.await(toGuest, "the guest's error handler"));
        assertSame(thrown, Timeouts.await(toContext, "the context's exception handler"));
        assertEquals(-1, client.getInputStream().read(), "the failing connection is closed");
    }

    @Test
    void exceptionEscapingABackendCallbackReachesTheContextExceptionHandlerAndTheLoopGoesOn() {
        Context host = verticleContext(new VertxOptions().setEventLoopPoolSize(1));
        CompletableFuture<Throwable> toContext = new CompletableFuture<>();
        host.exceptionHandler(toContext::complete);
        NettyLoopOps ops = (NettyLoopOps) new VertxLoopOpsProvider().create(LoopOptions.on(host));
        toClose.add(() -> Timeouts.await(ops.close(), "the backend to close"));
        RuntimeException thrown = new IllegalStateException("escaped the core");
        CountDownLatch secondWakeup = new CountDownLatch(1);
        NettyLoopThread thread = ops.threads().get(0);
        thread.start(new ThreadEvents() {
            private int wakeups;

            @Override
            public void onTimer() {
            }

            @Override
            public void onWakeup() {
                if (++wakeups == 1) {
                    throw thrown;
                }
                secondWakeup.countDown();
            }

            @Override
            public void onHostLoopClosing() {
            }
        });
        thread.wakeup();
        assertSame(thrown, Timeouts.await(toContext, "the context's exception handler"));
        thread.wakeup();
        Timeouts.await(secondWakeup, "a wake-up after the exception");
    }

    @Test
    void blockedThreadCheckerReportsAGuestCallbackThatBlocksTheLoop() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
                .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
        CompletableFuture<BlockedThreadEvent> reported = new CompletableFuture<>();
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(reported::complete);
        try (GuestHarness h = GuestHarness.start(GuestContext.builder().hostLoop(vertx).watchdogThreshold(Duration.ZERO), 1)) {
            Thread loop = h.loopThread(0);
            // The guest callback blocks its loop until Vert.x's checker has reported it (or the timeout).
            Thread blocked = h.call(0, () -> {
                reported.get(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
                return Thread.currentThread();
            });
            assertSame(loop, blocked);
            assertSame(loop, Timeouts.await(reported, "the blocked-thread report").thread());
        }
    }

    /** A map value even when there is no context: the test must fail on its assertion, not on a null. */
    private static Optional<Context> currentContextOrNone() {
        return Optional.ofNullable(Vertx.currentContext());
    }

    private Socket client(SocketAddress address) throws Exception {
        Socket s = new Socket();
        s.connect(address, 10_000);
        s.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        toClose.add(s);
        return s;
    }

}
