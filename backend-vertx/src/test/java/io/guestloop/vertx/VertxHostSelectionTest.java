package io.guestloop.vertx;

import io.guestloop.GuestContext;
import io.guestloop.tck.GuestHarness;
import io.guestloop.tck.Timeouts;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.vertx.core.Context;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which Vert.x host loops select this backend, how many service threads they give, and which are
 * refused at {@code build()} with a message that says what to do.
 *
 * <p><b>Threading:</b> test thread; guest code runs on the loops through {@link GuestHarness}.
 */
class VertxHostSelectionTest {

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(VertxFixture.EVENT_LOOPS));
    }

    @AfterEach
    void closeVertx() {
        Timeouts.await(vertx.close().toCompletionStage(), "Vert.x to close");
    }

    @Test
    void vertxInstanceSelectsTheVertxBackendWithoutNamingIt() {
        GuestContext guest = GuestContext.builder().hostLoop(vertx).build();
        try {
            assertEquals(VertxLoopOpsProvider.NAME, guest.backendName());
        } finally {
            Timeouts.await(guest.close(), "the guest to close");
        }
    }

    @Test
    void contextSelectsTheVertxBackendWithoutNamingIt() {
        GuestContext guest = GuestContext.builder().hostLoop(vertx.getOrCreateContext()).build();
        try {
            assertEquals(VertxLoopOpsProvider.NAME, guest.backendName());
            assertEquals(1, guest.serviceThreads().size());
        } finally {
            Timeouts.await(guest.close(), "the guest to close");
        }
    }

    @Test
    void vertxGivesOneServiceThreadPerEventLoopByDefault() {
        try (GuestHarness guest = GuestHarness.start(GuestContext.builder().hostLoop(vertx), VertxFixture.EVENT_LOOPS)) {
            List<Thread> threads = loopThreads(guest);
            assertEquals(VertxFixture.EVENT_LOOPS, new HashSet<>(threads).size(), "each on its own event loop: " + threads);
            for (Thread t : threads) {
                assertTrue(t.getName().startsWith("vert.x-eventloop-thread-"), t.getName());
            }
        }
    }

    @Test
    void vertxGivesAsManyServiceThreadsAsAskedSharingItsEventLoops() {
        int asked = VertxFixture.EVENT_LOOPS + 2;
        try (GuestHarness guest = GuestHarness.start(GuestContext.builder().hostLoop(vertx).serviceThreads(asked), asked)) {
            List<Thread> threads = loopThreads(guest);
            assertEquals(VertxFixture.EVENT_LOOPS, new HashSet<>(threads).size(), "threads " + threads);
            Set<Context> contexts = new HashSet<>();
            for (int i = 0; i < asked; i++) {
                contexts.add(guest.call(i, Vertx::currentContext));
            }
            assertEquals(asked, contexts.size(), "one Vert.x context per service thread");
        }
    }

    @Test
    void workerContextIsRefusedAtBuild() {
        Context worker = ((VertxInternal) vertx).createWorkerContext();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestContext.builder().hostLoop(worker).build());
        assertTrue(e.getMessage().contains("WORKER context"), e.getMessage());
        assertTrue(e.getMessage().contains("ThreadingModel.EVENT_LOOP"), "says what to do: " + e.getMessage());
    }

    @Test
    void virtualThreadContextIsRefusedAtBuild() {
        assumeTrue(((VertxInternal) vertx).isVirtualThreadAvailable(), "virtual threads need Java 21");
        Context virtual = ((VertxInternal) vertx).createVirtualThreadContext();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestContext.builder().hostLoop(virtual).build());
        assertTrue(e.getMessage().contains("VIRTUAL_THREAD context"), e.getMessage());
    }

    @Test
    void contextOnANonNioEventLoopIsRefusedAtBuild() {
        EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            Context onLocal = ((VertxInternal) vertx).contextBuilder()
                    .withThreadingModel(ThreadingModel.EVENT_LOOP)
                    .withEventLoop(local.next())
                    .build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GuestContext.builder().hostLoop(onLocal).build());
            assertTrue(e.getMessage().contains("neither NIO, epoll nor io_uring"), e.getMessage());
            assertTrue(e.getMessage().contains("setPreferNativeTransport(true)"), "says what to use: " + e.getMessage());
        } finally {
            local.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theNativeTransportHostsTheGuestWithNativeChannels() {
        Vertx nativeVertx = VertxFixture.newVertx(VertxFixture.Transport.NATIVE_EPOLL, 1);
        try {
            GuestContext guest = GuestContext.builder().hostLoop(nativeVertx).build();
            assertEquals("vertx", guest.backendName());
            assertTrue(guest.channelProvider().getClass().getName().startsWith("io.guestloop.netty."),
                    "the core's sockets come from the netty backend's native provider, not " + guest.channelProvider());
            Timeouts.await(guest.close(), "the guest to close");
        } finally {
            Timeouts.await(nativeVertx.close().toCompletionStage(), "the native Vert.x to close");
        }
    }

    @Test
    void contextAskedForTwoServiceThreadsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestContext.builder().hostLoop(vertx.getOrCreateContext()).serviceThreads(2).build());
        assertTrue(e.getMessage().contains("pass the Vertx instance"), e.getMessage());
    }

    @Test
    void closedVertxIsRefused() {
        Vertx closed = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Timeouts.await(closed.close().toCompletionStage(), "Vert.x to close");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestContext.builder().hostLoop(closed).build());
        assertTrue(e.getMessage().contains("closing or closed"), e.getMessage());
    }

    @Test
    void runningOnTheCallingThreadIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuestContext.builder().hostLoop(vertx).runOnCallingThread().build());
        assertTrue(e.getMessage().contains("cannot run on the calling thread"), e.getMessage());
    }

    @Test
    void closingTheGuestNeverClosesVertxNorTheContext() {
        Context context = vertx.getOrCreateContext();
        GuestContext guest = GuestContext.builder().hostLoop(context).build();
        Timeouts.await(guest.close(), "the guest to close");
        CompletableFuture<Context> ran = new CompletableFuture<>();
        context.runOnContext(v -> ran.complete(Vertx.currentContext()));
        assertEquals(context, Timeouts.await(ran, "a task on the context after the guest closed"));
        String id = Timeouts.await(vertx.deployVerticle(new VertxFixture.ContextCapture()).toCompletionStage(),
                "a deployment after the guest closed");
        assertTrue(id != null && !id.isEmpty());
    }

    private static List<Thread> loopThreads(GuestHarness guest) {
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < guest.threads().size(); i++) {
            threads.add(guest.loopThread(i));
        }
        return threads;
    }
}
