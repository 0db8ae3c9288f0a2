package io.guestloop.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client from outside the JVM: Python's {@code websockets}, as Debian packages it
 * ({@code python3-websockets}), run by the system's {@code /usr/bin/python3} (a {@code python3} on
 * the PATH may be a pyenv shim without Debian's packages). A missing package fails the test: CI
 * installs it ({@code .ci/run}); locally, {@code apt-get install python3-websockets}.
 */
class PythonClientTest {

    private static final String PYTHON = "/usr/bin/python3";

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void pythonWebsocketsEchoesAndChatsWithTheDemo() throws Exception {
        requirePythonWebsockets();
        DemoServer demo = fixture.start("--threads", "2");
        Path script = Path.of(PythonClientTest.class.getResource("python_client.py").toURI());
        try (ExternalProcess python = ExternalProcess.start(List.of(PYTHON, script.toString(),
                "ws://" + demo.pageUri().getRawAuthority()))) {
            ExternalProcess.Result r = python.await();
            assertEquals(0, r.exitCode(), r.toString());
            List<String> lines = r.stdout().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("ECHO ok hello from python websockets")), r.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("CHAT ok visitor-") && l.contains("on backend nio")), r.toString());
            assertEquals("DONE", lines.get(lines.size() - 1), r.toString());
        }
    }

    private static void requirePythonWebsockets() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            throw new AssertionError(PYTHON + " is missing: install Debian's python3 and python3-websockets "
                    + "(apt-get install -y python3-websockets); .ci/run does this in CI");
        }
        try (ExternalProcess check = ExternalProcess.start(List.of(PYTHON, "-c", "import websockets"))) {
            ExternalProcess.Result r = check.await();
            if (r.exitCode() != 0) {
                throw new AssertionError(PYTHON + " cannot import websockets: install Debian's python3-websockets "
                        + "(apt-get install -y python3-websockets); .ci/run does this in CI\n" + r);
            }
        }
    }
}
