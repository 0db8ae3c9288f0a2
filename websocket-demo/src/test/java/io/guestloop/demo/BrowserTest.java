package io.guestloop.demo;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real browser on the demo page: headless Chromium (Debian's {@code chromium}) driven through the
 * DevTools protocol with the JDK's WebSocket client. The test types into the page's own inputs,
 * presses Enter, and reads what the page's own code put into the DOM; then it saves a screenshot
 * to {@code target/demo-page.png} ({@code demo-page-netty.png} and so on for the other backends).
 * On netty and vertx the page must also show the answer of the host's own endpoint. Without Chromium
 * the test is skipped, or fails with {@code CI=true}: see {@link OutsideProgram}.
 */
@Tag("browser")
class BrowserTest {

    private final DemoFixture fixture = new DemoFixture();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private DevTools devtools;

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty", "vertx", "legacy"})
    void aChatLineTypedInThePageComesBackIntoThePage(String backend) throws Exception {
        Path chromium = OutsideProgram.CHROMIUM.require(BrowserTest.class);
        DemoServer demo = fixture.start("--backend", backend, "--clock-ms", "400");
        String page = attachToNewTab(launchChromium(chromium));
        navigate(page, demo.pageUri());

        waitFor(page, "document.body.dataset.backend === '" + backend + "' && !document.getElementById('chat-input').disabled"
                + " && !document.getElementById('echo-input').disabled", "the page to join the chat and open the echo");
        assertEquals("permessage-deflate; server_no_context_takeover", evaluate(page, "document.body.dataset.chatExtensions"),
                "Chromium's offer of permessage-deflate was accepted on the chat");
        assertEquals("permessage-deflate; server_no_context_takeover", evaluate(page, "document.body.dataset.echoExtensions"),
                "and on the echo");
        String served = (String) evaluate(page, "document.getElementById('served').textContent");
        assertTrue(served.contains("served by backend " + backend + " on loop thread " + demo.context().serviceThreads().get(0).name()), served);

        type(page, "chat-input", "hello from headless chromium");
        waitFor(page, "[...document.querySelectorAll('#chat-log li')].some(li => li.textContent.includes('(you): hello from headless chromium'))",
                "the typed chat line to come back from the server into the chat log");
        assertEquals("", evaluate(page, "document.getElementById('chat-input').value"), "the page clears the input it sent");

        try (JdkWebSocketClient other = JdkWebSocketClient.connect(demo, "/ws/chat")) {
            other.next(m -> m.contains("\"welcome\""), "the JDK client's welcome");
            other.next(m -> m.contains("hello from headless chromium") || m.contains("\"join\""), "a chat line");
            other.send("hello browser, from the JDK client");
            waitFor(page, "document.getElementById('chat-log').textContent.includes(': hello browser, from the JDK client')",
                    "another member's line to reach the page");
        }

        type(page, "echo-input", "echo from the page");
        waitFor(page, "document.getElementById('echo-log').textContent.includes('← echo from the page')",
                "the echo to come back into the echo box");
        waitFor(page, "document.querySelector('#chat-log .time') !== null", "a server-time line in the chat");
        if (demo.nativeUri() != null) {
            String host = backend.equals("netty") ? "Netty" : "Vert.x";
            waitFor(page, "document.getElementById('native-body').textContent.includes('Hello from " + host + "')",
                    "the page to show the answer of the host's own endpoint");
            assertTrue(((String) evaluate(page, "document.getElementById('native-body').textContent"))
                    .contains(demo.context().serviceThreads().get(0).name()), "the native answer names the guest's thread");
        } else {
            assertEquals(Boolean.TRUE, evaluate(page, "document.getElementById('native').hidden"), "no native panel on " + backend);
        }

        byte[] png = screenshot(page);
        // The embedded default's screenshot is target/demo-page.png; the others' carry the backend's name.
        Path file = Path.of(System.getProperty("demo.screenshot", "target/demo-page.png"));
        if (!backend.equals("nio")) {
            file = file.resolveSibling("demo-page-" + backend + ".png");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
    }

    /**
     * The page over {@code https://} and its sockets over {@code wss://}, the demo on {@code --tls}
     * with the certificate it made at start-up, which Chromium is told to accept.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void thePageChatsAndEchoesOverWss(String backend) throws Exception {
        Path chromium = OutsideProgram.CHROMIUM.require(BrowserTest.class);
        DemoServer demo = fixture.start("--backend", backend, "--tls");
        String page = attachToNewTab(launchChromium(chromium, "--ignore-certificate-errors"));
        navigate(page, demo.pageUri());
        waitFor(page, "location.protocol === 'https:' && !document.getElementById('chat-input').disabled"
                + " && !document.getElementById('echo-input').disabled", "the https page to open its wss sockets");
        type(page, "chat-input", "hello over wss");
        waitFor(page, "[...document.querySelectorAll('#chat-log li')].some(li => li.textContent.includes('(you): hello over wss'))",
                "the chat line to come back over wss");
        type(page, "echo-input", "echo over wss");
        waitFor(page, "document.getElementById('echo-log').textContent.includes('← echo over wss')", "the echo over wss");
    }

    // ---- the browser --------------------------------------------------------------------------

    private DevTools launchChromium(Path executable, String... extraFlags) throws IOException {
        Path profile = Files.createTempDirectory("demo-chromium-");
        cleanup.add(() -> deleteTree(profile));
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,900"));
        command.addAll(List.of(extraFlags));
        command.add("about:blank");
        ExternalProcess chromium = ExternalProcess.start(command);
        cleanup.add(() -> stopChromium(chromium));
        // Chromium announces its DevTools endpoint on stderr once it listens: no polling for a file.
        String listening = chromium.stderrLineStartingWith("DevTools listening on ");
        return DevTools.connect(URI.create(listening.substring("DevTools listening on ".length()).trim()));
    }

    private String attachToNewTab(DevTools browser) {
        this.devtools = browser;
        String target = (String) browser.call(null, "Target.createTarget", "{\"url\":\"about:blank\"}").get("targetId");
        String session = (String) browser.call(null, "Target.attachToTarget",
                "{\"targetId\":" + MiniJson.quote(target) + ",\"flatten\":true}").get("sessionId");
        browser.call(session, "Emulation.setDeviceMetricsOverride",
                "{\"width\":1280,\"height\":860,\"deviceScaleFactor\":1,\"mobile\":false}");
        return session;
    }

    private void navigate(String session, URI uri) {
        Map<String, Object> r = devtools.call(session, "Page.navigate", "{\"url\":" + MiniJson.quote(uri.toString()) + "}");
        assertTrue(!r.containsKey("errorText"), "navigation to " + uri + " failed: " + r.get("errorText"));
    }

    /** Types {@code text} into the input with {@code id} as a user would, then presses Enter. */
    private void type(String session, String id, String text) {
        evaluate(session, "document.getElementById('" + id + "').focus()");
        devtools.call(session, "Input.insertText", "{\"text\":" + MiniJson.quote(text) + "}");
        devtools.call(session, "Input.dispatchKeyEvent",
                "{\"type\":\"keyDown\",\"key\":\"Enter\",\"code\":\"Enter\",\"windowsVirtualKeyCode\":13,\"text\":\"\\r\"}");
        devtools.call(session, "Input.dispatchKeyEvent",
                "{\"type\":\"keyUp\",\"key\":\"Enter\",\"code\":\"Enter\",\"windowsVirtualKeyCode\":13}");
    }

    /**
     * Waits in the page until {@code condition} (a JavaScript expression) is true, re-checking on
     * every DOM change rather than on a timer; fails with the page's text after three quarters of
     * the usual bound (so the page's answer comes before the DevTools call itself times out).
     */
    private void waitFor(String session, String condition, String what) {
        String js = "new Promise((resolve, reject) => {"
                + " const test = () => { try { return !!(" + condition + "); } catch (e) { return false; } };"
                + " if (test()) { resolve(true); return; }"
                + " const observer = new MutationObserver(() => { if (test()) { clearTimeout(timer); observer.disconnect(); resolve(true); } });"
                + " const timer = setTimeout(() => { observer.disconnect();"
                + "   reject(new Error('timed out; the page shows: ' + (document.body ? document.body.innerText : '(no body)'))); }, "
                + Timeouts.AWAIT.toMillis() * 3 / 4 + ");"
                + " observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});"
                + "})";
        Object ok = evaluate(session, js, what);
        assertEquals(Boolean.TRUE, ok, what);
    }

    private Object evaluate(String session, String expression) {
        return evaluate(session, expression, expression);
    }

    @SuppressWarnings("unchecked")
    private Object evaluate(String session, String expression, String what) {
        Map<String, Object> r = devtools.call(session, "Runtime.evaluate",
                "{\"expression\":" + MiniJson.quote(expression) + ",\"awaitPromise\":true,\"returnByValue\":true}");
        if (r.containsKey("exceptionDetails")) {
            Map<String, Object> details = (Map<String, Object>) r.get("exceptionDetails");
            Object exception = details.get("exception") instanceof Map<?, ?> e ? e.get("description") : details.get("text");
            throw new AssertionError("in the page, waiting for " + what + ": " + exception);
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    private byte[] screenshot(String session) {
        String data = (String) devtools.call(session, "Page.captureScreenshot", "{\"format\":\"png\"}").get("data");
        return Base64.getDecoder().decode(data);
    }

    private void stopChromium(ExternalProcess chromium) throws InterruptedException {
        Process p = chromium.process();
        try {
            if (devtools != null) {
                // The browser may drop the connection before it answers: only its exit is awaited.
                devtools.send("Browser.close");
                devtools.close();
            } else {
                p.toHandle().destroy();
            }
        } finally {
            if (!p.waitFor(Timeouts.AWAIT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            chromium.close();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
