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
import io.guestloop.tck.Timeouts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Vert.x closing (or a verticle undeploying) under a live guest: the guest is told on its context
 * while the event loops still run, closes every socket, and nothing throws.
 *
 * <p><b>Threading:</b> test thread; guest callbacks on the Vert.x loops record what they see.
 */
class VertxClosingTest {

    private static final SocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final List<Throwable> vertxErrors = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(VertxFixture.EVENT_LOOPS));
        vertx.exceptionHandler(vertxErrors::add);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");
    }

    @Test
    void closingVertxUnderLiveGuestConnectionsClosesTheGuestCleanly() throws Exception {
        List<Throwable> guestErrors = new CopyOnWriteArrayList<>();
        AtomicInteger closedConnections = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        CountDownLatch opened = new CountDownLatch(4);
        GuestContext guest = GuestContext.builder().hostLoop(vertx).serviceThreads(2)
                .errorHandler((t, c, e) -> guestErrors.add(e))
                .protocol(new Protocol() {
                    @Override
                    public void onStop(ServiceThread thread) {
                        stops.incrementAndGet();
                    }
                })
                .listen(LOOPBACK, new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        opened.countDown();
                    }

                    @Override
                    public void onClosed(Connection c, Throwable cause) {
                        closedConnections.incrementAndGet();
                    }
                }).build();
        for (int i = 0; i < 4; i++) {
            clients.add(client(guest.listeners().get(0).localAddress()));
        }
        Timeouts.await(opened, "four guest connections to open");

        Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");

        Timeouts.await(guest.closed(), "the guest to close itself");
        assertEquals(4, closedConnections.get(), "onClosed for every connection");
        assertEquals(2, stops.get(), "Protocol.onStop on both service threads");
        for (Socket s : clients) {
            assertEquals(-1, s.getInputStream().read(), "the client sees its connection closed");
        }
        assertEquals(List.of(), guestErrors);
        assertEquals(List.of(), vertxErrors);
    }

    /**
     * Vert.x runs its close hooks while the event loops still turn, then shuts them down. A loop that
     * shuts down before the guest's last check of its close runs (a task the loop scheduled, which a
     * loop shutting down drops) must still let the guest close: here the shutdown is queued right
     * behind the guest's close, on the same loop, so that the check never runs.
     */
    @Test
    void theGuestClosesWhenTheLoopShutsDownRightBehindItsClose() throws Exception {
        io.netty.channel.EventLoopGroup loops = ((io.vertx.core.internal.VertxInternal) vertx).eventLoopGroup();
        CountDownLatch opened = new CountDownLatch(1);
        GuestContext guest = GuestContext.builder().hostLoop(vertx).serviceThreads(1)
                .protocol(new Protocol() {
                    @Override
                    public void onStop(ServiceThread thread) {
                        io.netty.util.concurrent.EventExecutor loop = io.netty.util.internal.ThreadExecutorMap.currentExecutor();
                        loop.execute(() -> loops.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS));
                    }
                })
                .listen(LOOPBACK, new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        opened.countDown();
                    }
                }).build();
        clients.add(client(guest.listeners().get(0).localAddress()));
        Timeouts.await(opened, "a guest connection to open");

        vertx.close();

        Timeouts.await(guest.closed(), "the guest to close although its loop shut down right behind its close");
    }

    @Test
    void closingVertxTellsEveryServiceThreadOnceOnItsContextWhileItsLoopStillRuns() {
        NettyLoopOps ops = (NettyLoopOps) new VertxLoopOpsProvider().create(LoopOptions.on(vertx));
        List<NettyLoopThread> threads = ops.threads();
        List<HostClosingRecord> records = new ArrayList<>();
        for (NettyLoopThread thread : threads) {
            HostClosingRecord record = new HostClosingRecord(contextOf(thread));
            records.add(record);
            thread.start(record);
        }

        Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");

        for (int i = 0; i < records.size(); i++) {
            HostClosingRecord record = records.get(i);
            assertEquals(1, record.calls.get(), "onHostLoopClosing calls of thread " + i);
            assertSame(contextOf(threads.get(i)), record.currentContext, "Vertx.currentContext() in onHostLoopClosing");
            assertFalse(record.loopWasShuttingDown, "thread " + i + " was told before its event loop began to stop");
        }
        Timeouts.await(ops.close(), "the backend to close after Vert.x closed");
        assertEquals(List.of(), vertxErrors);
    }

    @Test
    void undeployingTheHostVerticleClosesItsGuestAndLeavesVertxRunning() throws Exception {
        GuestVerticle verticle = new GuestVerticle();
        String id = Timeouts.await(vertx.deployVerticle(verticle).toCompletionStage(), "the verticle to deploy");
        Socket client = client(verticle.guest.listeners().get(0).localAddress());
        Timeouts.await(verticle.opened, "the guest connection to open");

        Timeouts.await(vertx.undeploy(id).toCompletionStage(), "the verticle to undeploy");

        Timeouts.await(verticle.guest.closed(), "the guest to close with its verticle");
        assertEquals(-1, client.getInputStream().read(), "the client sees its connection closed");
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        vertx.runOnContext(v -> ran.complete(true));
        assertEquals(true, Timeouts.await(ran, "Vert.x to run a task after the undeploy"));
        assertEquals(List.of(), vertxErrors);
    }

    private Socket client(SocketAddress address) throws Exception {
        Socket s = new Socket();
        s.connect(address, 10_000);
        s.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        clients.add(s);
        return s;
    }

    /** Records the one callback the test is about, and the state of Vert.x when it came. */
    private static ContextInternal contextOf(NettyLoopThread thread) {
        return ((ContextGate) thread.gate()).context();
    }

    private static final class HostClosingRecord implements ThreadEvents {
        final AtomicInteger calls = new AtomicInteger();
        private final ContextInternal context;
        volatile Context currentContext;
        volatile boolean loopWasShuttingDown;

        HostClosingRecord(ContextInternal context) {
            this.context = context;
        }

        @Override
        public void onTimer() {
        }

        @Override
        public void onWakeup() {
        }

        @Override
        public void onHostLoopClosing() {
            currentContext = Vertx.currentContext();
            loopWasShuttingDown = context.nettyEventLoop().isShuttingDown();
            calls.incrementAndGet();
        }
    }

    /** A verticle whose guest lives on its context and is left to close with it. */
    private static final class GuestVerticle extends VerticleBase {
        final CountDownLatch opened = new CountDownLatch(1);
        volatile GuestContext guest;

        @Override
        public Future<?> start() {
            guest = GuestContext.builder().hostLoop(context).listen(LOOPBACK, new ConnectionHandler() {
                @Override
                public void onOpen(Connection c) {
                    opened.countDown();
                }
            }).build();
            return Future.succeededFuture();
        }
    }
}
