package io.guestloop.demo;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo server against the JDK's own {@code java.net.http} WebSocket and HTTP clients. */
class JdkClientTest {

    private static final Pattern THREAD_INDEX = Pattern.compile("\"threadIndex\":(\\d+)");

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void echoSendsEachTextMessageBack() {
        DemoServer demo = fixture.start();
        JdkWebSocketClient echo = fixture.connect(demo, "/ws/echo");
        echo.send("hello, echo");
        assertEquals("hello, echo", echo.next("the echo"));
        echo.send("ünïcödé ✓ 🙂");
        assertEquals("ünïcödé ✓ 🙂", echo.next("the second echo"));
    }

    @Test
    void welcomeNamesTheBackendAndTheServiceThread() {
        DemoServer demo = fixture.start();
        JdkWebSocketClient chat = fixture.connect(demo, "/ws/chat");
        String welcome = chat.next("the welcome line");
        assertTrue(welcome.startsWith("{\"type\":\"welcome\""), welcome);
        assertTrue(welcome.contains("\"backend\":\"nio\""), welcome);
        String thread = demo.context().serviceThreads().get(0).name();
        assertTrue(welcome.contains("\"thread\":\"" + thread + "\""), welcome + " should name " + thread);
        assertTrue(welcome.contains("\"nativePort\":null"), "nio has no native endpoint: " + welcome);
    }

    @Test
    void chatLineReachesEveryMemberIncludingTheSender() {
        DemoServer demo = fixture.start();
        JdkWebSocketClient alice = fixture.connect(demo, "/ws/chat");
        JdkWebSocketClient bob = fixture.connect(demo, "/ws/chat");
        alice.next(m -> m.contains("\"welcome\""), "alice's welcome");
        bob.next(m -> m.contains("\"welcome\""), "bob's welcome");

        alice.send("hello from alice");
        String expected = "\"text\":\"hello from alice\"";
        assertTrue(bob.next(m -> m.contains(expected), "alice's line at bob").contains("\"type\":\"chat\""));
        assertTrue(alice.next(m -> m.contains(expected), "alice's line back at alice").contains("\"from\":\"visitor-"));
    }

    @Test
    void chatReachesMembersOnOtherServiceThreads() {
        DemoServer demo = fixture.start("--threads", "2");
        List<JdkWebSocketClient> members = List.of(fixture.connect(demo, "/ws/chat"), fixture.connect(demo, "/ws/chat"),
                fixture.connect(demo, "/ws/chat"), fixture.connect(demo, "/ws/chat"));
        Set<Integer> threads = new HashSet<>();
        for (JdkWebSocketClient m : members) {
            Matcher index = THREAD_INDEX.matcher(m.next(s -> s.contains("\"welcome\""), "a welcome"));
            assertTrue(index.find());
            threads.add(Integer.parseInt(index.group(1)));
        }
        assertEquals(Set.of(0, 1), threads, "four members should be spread over both service threads");

        members.get(0).send("across threads");
        for (JdkWebSocketClient m : members) {
            m.next(s -> s.contains("\"text\":\"across threads\""), "the line at every member, on either thread");
        }
    }

    @Test
    void serverClockPostsTheTimeToTheChat() {
        DemoServer demo = fixture.start("--clock-ms", "50");
        JdkWebSocketClient chat = fixture.connect(demo, "/ws/chat");
        String first = chat.next(m -> m.contains("\"type\":\"time\""), "a server-time line");
        assertTrue(first.contains("server time "), first);
        String second = chat.next(m -> m.contains("\"type\":\"time\""), "a second server-time line");
        assertTrue(!second.equals(first), "the clock should keep ticking: " + second);
    }

    @Test
    void pageIsServedAtTheRoot() throws Exception {
        DemoServer demo = fixture.start();
        // HTTP/1.1 explicitly: the JDK's default offers 'Upgrade: h2c', which the WebSocket server
        // answers 400 instead of ignoring (reported to the websocket module).
        HttpResponse<String> page = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(demo.pageUri()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), page.headers().toString());
        assertTrue(page.body().contains("id=\"chat-form\"") && page.body().contains("/ws/echo"), "the demo page");
    }

    @Test
    void upgradeFromAPageOfAnotherSiteIsRefused() {
        DemoServer demo = fixture.start();
        URI chat = URI.create("ws://" + demo.pageUri().getRawAuthority() + "/ws/chat");
        ExecutionException e = assertThrows(ExecutionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://elsewhere.example:8080")
                .buildAsync(chat, new WebSocket.Listener() { })
                .get(Timeouts.AWAIT.toSeconds(), TimeUnit.SECONDS));
        Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
        assertInstanceOf(WebSocketHandshakeException.class, cause);
        assertEquals(403, ((WebSocketHandshakeException) cause).getResponse().statusCode());
    }

    @Test
    void upgradeFromTheDemoPageItselfIsAccepted() {
        DemoServer demo = fixture.start();
        URI chat = URI.create("ws://" + demo.pageUri().getRawAuthority() + "/ws/chat");
        WebSocket ws = Timeouts.await(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://" + demo.pageUri().getRawAuthority())
                .buildAsync(chat, new WebSocket.Listener() { }), "the handshake from the page's origin");
        ws.abort();
    }

    @Test
    void closeEndsEveryConnectionWithGoingAway() {
        DemoServer demo = fixture.start("--threads", "2");
        JdkWebSocketClient chat = fixture.connect(demo, "/ws/chat");
        JdkWebSocketClient echo = fixture.connect(demo, "/ws/echo");
        chat.next(m -> m.contains("\"welcome\""), "the welcome");
        echo.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));   // an answered message proves the echo socket is open
        echo.send("ready");
        echo.next("the echo");

        Timeouts.await(demo.close(), "the demo to stop");
        assertEquals(new JdkWebSocketClient.Closed(1001, "server shutting down"), chat.awaitClosed());
        assertEquals(new JdkWebSocketClient.Closed(1001, "server shutting down"), echo.awaitClosed());
        assertTrue(demo.context().closed().toCompletableFuture().isDone(), "the guest context should be closed");
    }
}
