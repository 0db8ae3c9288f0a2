package io.guestloop.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same demo on each backend, with the JDK's clients: the guest serves echo and chat on the
 * host's loop, and on netty and vertx the host's own {@code GET /native} answers from the very
 * thread that runs the guest.
 */
class EveryBackendTest {

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty", "vertx", "legacy"})
    void echoAndChatRunOnTheChosenBackend(String backend) {
        DemoServer demo = fixture.start("--backend", backend);
        assertEquals(backend, demo.backend());

        JdkWebSocketClient echo = fixture.connect(demo, "/ws/echo");
        echo.send("echo on " + backend);
        assertEquals("echo on " + backend, echo.next("the echo"));

        JdkWebSocketClient chat = fixture.connect(demo, "/ws/chat");
        String welcome = chat.next(m -> m.contains("\"welcome\""), "the welcome");
        String thread = demo.context().serviceThreads().get(0).name();
        assertTrue(welcome.contains("\"backend\":\"" + backend + "\",\"thread\":\"" + thread + "\""), welcome);
        chat.send("chat on " + backend);
        chat.next(m -> m.contains("\"text\":\"chat on " + backend + "\""), "the chat line back");
    }

    @ParameterizedTest
    @CsvSource({"netty, nio", "netty, epoll", "netty, io_uring", "vertx, nio", "vertx, epoll", "vertx, io_uring"})
    void nativeEndpointAnswersFromTheGuestsOwnThread(String backend, String transport) throws Exception {
        NativeTransports.require(transport);
        DemoServer demo = fixture.start("--backend", backend, "--transport", transport);
        URI nativeUri = demo.nativeUri();
        assertTrue(nativeUri != null && nativeUri.getPort() != demo.address().getPort(), "a native endpoint on its own port: " + nativeUri);

        JdkWebSocketClient chat = fixture.connect(demo, "/ws/chat");
        String welcome = chat.next(m -> m.contains("\"welcome\""), "the welcome");
        assertTrue(welcome.contains("\"nativePort\":" + nativeUri.getPort() + "}"), "the page learns the native port: " + welcome);

        HttpResponse<String> answer = http().send(HttpRequest.newBuilder(nativeUri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("*", answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "the page on the other port may read it");
        String guestThread = demo.context().serviceThreads().get(0).name();
        assertTrue(answer.body().contains(" thread " + guestThread + ","), "answered on the guest's thread " + guestThread + ": " + answer.body());

        HttpResponse<String> elsewhere = http().send(HttpRequest.newBuilder(nativeUri.resolve("/other")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "legacy"})
    void hostsWithoutAnApplicationOfTheirOwnOfferNoNativeEndpoint(String backend) {
        DemoServer demo = fixture.start("--backend", backend);
        assertNull(demo.nativeUri());
        JdkWebSocketClient chat = fixture.connect(demo, "/ws/chat");
        assertTrue(chat.next(m -> m.contains("\"welcome\""), "the welcome").contains("\"nativePort\":null"));
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
}
