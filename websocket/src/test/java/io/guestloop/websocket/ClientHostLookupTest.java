package io.guestloop.websocket;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client looks host names up off the loop, and says clearly when a host has no address. */
class ClientHostLookupTest {

    private final RecordingEndpoint serverSide = new RecordingEndpoint(true);
    private ServerFixture fixture;
    private int port;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(WebSocketServer.builder().endpoint("/echo", serverSide).build());
        port = fixture.address.getPort();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Fails the test with the cause of {@code stage}'s failure, or returns that cause. */
    private static Throwable failureOf(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the stage to fail");
    }

    @Test
    void aHostNameIsLookedUpOnTheResolverWhileTheLoopGoesOnServing() throws Exception {
        BlockingQueue<Runnable> lookups = new LinkedBlockingQueue<>();
        WebSocketClient client = WebSocketClient.builder().resolver(lookups::add).build();
        MessageCollector collector = new MessageCollector();
        CompletionStage<WebSocket> opened = Timeouts.await(fixture.onLoop(
                t -> client.connect(t, URI.create("ws://localhost:" + port + "/echo"), collector)), "connect");
        Runnable lookup = lookups.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(lookup, "the lookup went to the resolver");
        // The loop is free while the lookup waits: it runs other work.
        assertEquals("served", Timeouts.await(fixture.onLoop(t -> "served"), "other work on the loop"));
        assertFalse(opened.toCompletableFuture().isDone());

        // Only this dependent waits on `opened` until it completed: a thread blocked in get() may
        // run a future's dependents itself, so the test waits on its own future instead.
        CompletableFuture<Boolean> completedOnLoop = new CompletableFuture<>();
        opened.whenComplete((s, e) -> completedOnLoop.complete(s != null && s.serviceThread().inLoop()));
        Thread resolverThread = new Thread(lookup, "test-resolver");
        resolverThread.start();
        assertTrue(Timeouts.await(completedOnLoop, "the connection to localhost"), "the stage completes on the service thread");
        WebSocket socket = opened.toCompletableFuture().join();
        Timeouts.await(fixture.onLoop(t -> socket.sendText("over localhost")), "send");
        assertEquals("over localhost", collector.next());
    }

    @Test
    void localhostWorksWithTheDefaultResolver() throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocket socket = Timeouts.await(fixture.onLoop(t -> WebSocketClient.builder().build()
                .connect(t, URI.create("ws://localhost:" + port + "/echo"), collector)).thenCompose(s -> s), "connect to localhost");
        Timeouts.await(fixture.onLoop(t -> socket.sendText("hi")), "send");
        assertEquals("hi", collector.next());
    }

    @Test
    void anUnresolvableHostFailsTheStageWithAnErrorThatNamesIt() throws Exception {
        MessageCollector collector = new MessageCollector();
        WebSocketClient client = WebSocketClient.builder().connectTimeout(Duration.ofSeconds(10)).build();
        // .invalid never resolves (RFC 6761)
        CompletionStage<WebSocket> opened = Timeouts.await(fixture.onLoop(
                t -> client.connect(t, URI.create("ws://no-such-host.invalid/echo"), collector)), "connect returns at once");
        WebSocketException e = assertInstanceOf(WebSocketException.class, failureOf(opened));
        assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        assertFalse(collector.opened.isDone(), "the endpoint hears nothing of a connection that never opened");
    }

    @Test
    void aLookupThatNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        Executor never = task -> { };
        WebSocketClient client = WebSocketClient.builder().resolver(never).connectTimeout(Duration.ofMillis(200)).build();
        CompletionStage<WebSocket> opened = Timeouts.await(fixture.onLoop(
                t -> client.connect(t, URI.create("ws://slow.example/echo"), new MessageCollector())), "connect");
        WebSocketException e = assertInstanceOf(WebSocketException.class, failureOf(opened));
        assertTrue(e.getMessage().contains("slow.example") && e.getMessage().contains("within"), e.getMessage());
    }

    @Test
    void aLiteralAddressIsNeverLookedUp() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        WebSocketClient client = WebSocketClient.builder().resolver(task -> lookups.incrementAndGet()).build();
        MessageCollector collector = new MessageCollector();
        Timeouts.await(fixture.onLoop(t -> client.connect(t, URI.create("ws://127.0.0.1:" + port + "/echo"), collector))
                .thenCompose(s -> s), "connect to 127.0.0.1");
        assertEquals(0, lookups.get());
    }

    @Test
    void anUnresolvedSocketAddressIsRefusedRatherThanLookedUpOnTheLoop() {
        WebSocketClient client = WebSocketClient.builder().build();
        CompletableFuture<Object> attempt = fixture.onLoop(t -> client.connect(t,
                InetSocketAddress.createUnresolved("localhost", port), URI.create("ws://localhost/echo"), new MessageCollector()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> attempt.get(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("unresolved"), e.getCause().getMessage());
    }

    @Test
    void connectOffTheLoopThrowsWrongThread() {
        io.guestloop.ServiceThread thread = fixture.context.serviceThreads().get(0);
        assertThrows(io.guestloop.WrongThreadException.class, () -> WebSocketClient.builder().build()
                .connect(thread, URI.create("ws://localhost:" + port + "/echo"), new MessageCollector()));
    }
}
