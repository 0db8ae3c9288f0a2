package io.guestloop.demo;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Main} in a JVM of its own, as a user runs it: the start line with the URL, a termination
 * signal (what Ctrl-C sends, less the terminal) that closes every connection with 1001 and stops,
 * and the exit codes of {@code --help} and of bad arguments.
 */
class MainProcessTest {

    @Test
    void startLineGivesTheUrlAndATerminationSignalStopsCleanly() {
        try (ExternalProcess demo = ExternalProcess.start(java("--host", "127.0.0.1", "--port", "0"))) {
            String start = demo.nextLine("the start line");
            assertTrue(start.startsWith("guestloop WebSocket demo on backend nio, 1 service thread: open http://127.0.0.1:"), start);
            URI page = URI.create(start.replaceAll(".*open (\\S+).*", "$1"));

            try (JdkWebSocketClient chat = JdkWebSocketClient.connect(page, "/ws/chat")) {
                chat.next(m -> m.contains("\"welcome\""), "the welcome from the demo process");
                // SIGTERM runs the same shutdown hook as Ctrl-C's SIGINT; the handle, unlike Process.destroy(),
                // leaves the output pipes open to read the goodbye line.
                demo.process().toHandle().destroy();
                assertEquals(new JdkWebSocketClient.Closed(1001, "server shutting down"), chat.awaitClosed());
            }
            ExternalProcess.Result r = demo.await();
            assertEquals(143, r.exitCode(), "a JVM ended by SIGTERM exits with 128 + 15\n" + r);
            assertTrue(r.stdout().contains("guestloop WebSocket demo stopped"), r.toString());
        }
    }

    @Test
    void helpPrintsTheUsageAndExitsWithZero() {
        try (ExternalProcess help = ExternalProcess.start(java("--help"))) {
            ExternalProcess.Result r = help.await();
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stdout().startsWith("Usage: java -jar guestloop-websocket-demo.jar"), r.toString());
        }
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhatIsWrong() {
        try (ExternalProcess bad = ExternalProcess.start(java("--port", "seven"))) {
            ExternalProcess.Result r = bad.await();
            assertEquals(2, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("--port expects a whole number from 0 to 65535, found 'seven'"), r.toString());
            assertTrue(r.stderr().contains("--help"), r.toString());
        }
    }

    @Test
    void aPortInUseExitsWithOneAndNamesTheAddress() throws Exception {
        try (DemoFixture fixture = new DemoFixture()) {
            DemoServer taken = fixture.start();
            String port = Integer.toString(taken.address().getPort());
            try (ExternalProcess second = ExternalProcess.start(java("--host", "127.0.0.1", "--port", port))) {
                ExternalProcess.Result r = second.await();
                assertEquals(1, r.exitCode(), r.toString());
                assertTrue(r.stderr().contains("cannot start on backend nio") && r.stderr().contains(port), r.toString());
            }
        }
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        // Surefire runs the tests from a manifest-only jar; this property holds the real class path.
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }
}
