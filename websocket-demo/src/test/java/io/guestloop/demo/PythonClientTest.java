package io.guestloop.demo;

import io.guestloop.tck.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client from outside the JVM: Python's {@code websockets}, as Debian packages it
 * ({@code python3-websockets}), run by the system's {@code /usr/bin/python3} (a {@code python3} on
 * the PATH may be a pyenv shim without Debian's packages). Without it the test is skipped, or fails
 * with {@code CI=true}: see {@link OutsideProgram}.
 */
class PythonClientTest {

    private final DemoFixture fixture = new DemoFixture();

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty", "vertx", "legacy"})
    void pythonWebsocketsEchoesAndChatsWithTheDemo(String backend) throws Exception {
        Path python3 = OutsideProgram.PYTHON_WEBSOCKETS.require(PythonClientTest.class);
        DemoServer demo = fixture.start("--backend", backend);
        Path script = Path.of(PythonClientTest.class.getResource("python_client.py").toURI());
        try (ExternalProcess python = ExternalProcess.start(List.of(python3.toString(), script.toString(),
                "ws://" + demo.pageUri().getRawAuthority()))) {
            ExternalProcess.Result r = python.await();
            assertEquals(0, r.exitCode(), r.toString());
            List<String> lines = r.stdout().lines().toList();
            assertTrue(lines.contains("EXT permessage-deflate"), "websockets' default offer was accepted: " + r);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("ECHO ok hello from python websockets")), r.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("CHAT ok visitor-") && l.contains("on backend " + backend)), r.toString());
            assertEquals("DONE", lines.get(lines.size() - 1), r.toString());
        }
    }

    /** The same over {@code wss://}: Python's {@code ssl} context verifies the test CA's chain and the address. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty"})
    void pythonWebsocketsTalksToTheDemoOverTls(String backend) throws Exception {
        Path python3 = OutsideProgram.PYTHON_WEBSOCKETS.require(PythonClientTest.class);
        TestCertificates certs = TestCertificates.get();
        DemoServer demo = fixture.start("--backend", backend, "--keystore", certs.keyStore(TestCertificates.Identity.SERVER).toString(),
                "--keystore-password", TestCertificates.PASSWORD);
        Path script = Path.of(PythonClientTest.class.getResource("python_client.py").toURI());
        try (ExternalProcess python = ExternalProcess.start(List.of(python3.toString(), script.toString(),
                "wss://" + demo.pageUri().getRawAuthority(), certs.caPem().toString()))) {
            ExternalProcess.Result r = python.await();
            assertEquals(0, r.exitCode(), r.toString());
            List<String> lines = r.stdout().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("ECHO ok hello from python websockets")), r.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("CHAT ok visitor-") && l.contains("on backend " + backend)), r.toString());
            assertEquals("DONE", lines.get(lines.size() - 1), r.toString());
        }
    }
}
