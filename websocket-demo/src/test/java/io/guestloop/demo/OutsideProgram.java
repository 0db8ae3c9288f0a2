package io.guestloop.demo;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A program outside the JVM that a client test drives, and the one rule for when it is missing.
 *
 * <p>The README promises that the tests pass on a machine with only a JDK and Maven, so a missing
 * program skips the test and prints one line naming the test and {@link #INSTALL}, the command
 * that brings every such program. With {@code CI=true} in the environment the same test fails
 * instead: {@code .ci/run} installs these programs, and CI must never skip them silently.
 *
 * <p>The path of each program can be changed with a system property ({@code guestloop.test.chromium},
 * {@code guestloop.test.python}, {@code guestloop.test.xvfb}); pointing it at a file that does not
 * exist shows the skip: {@code mvn -B verify -Dguestloop.test.chromium=/nonexistent}.
 *
 * <p><b>Threading:</b> the test thread; the answer is worked out once per program and JVM.
 */
final class OutsideProgram {

    /** The one command that installs every outside program these tests use (Debian's packages). */
    static final String INSTALL = "apt-get install chromium python3-websockets xvfb";

    /** Debian's headless-capable Chromium, for {@link BrowserTest}. */
    static final OutsideProgram CHROMIUM = new OutsideProgram("Chromium",
            Path.of(System.getProperty("guestloop.test.chromium", "/usr/bin/chromium")), List.of());

    /**
     * Debian's {@code python3} with {@code python3-websockets}, for {@link PythonClientTest}: the
     * system's {@code /usr/bin/python3}, not a {@code python3} on the PATH, which may be a shim
     * without Debian's packages.
     */
    static final OutsideProgram PYTHON_WEBSOCKETS = new OutsideProgram("Python's websockets",
            Path.of(System.getProperty("guestloop.test.python", "/usr/bin/python3")), List.of("-c", "import websockets"));

    /** Debian's X virtual framebuffer, the display of {@link DesktopChatTest}'s Swing window. */
    static final OutsideProgram XVFB = new OutsideProgram("Xvfb",
            Path.of(System.getProperty("guestloop.test.xvfb", "/usr/bin/Xvfb")), List.of());

    private final String name;
    private final Path executable;
    private final List<String> probe;
    private String problem; // why it cannot run here, "" when it can; null until checked
    private boolean announced;

    /**
     * @param name       what the program is, for the messages
     * @param executable the file to run
     * @param probe      arguments of a run that must exit with 0 for the program to count as
     *                   usable (an import, say); empty when an executable file is enough
     */
    OutsideProgram(String name, Path executable, List<String> probe) {
        this.name = name;
        this.executable = executable;
        this.probe = List.copyOf(probe);
    }

    /**
     * The program's executable, for {@code test} to run. When it is missing or unusable here, skips
     * the calling test (printing one line, once) or, with {@code CI=true}, fails it.
     */
    Path require(Class<?> test) {
        return require(test, "true".equalsIgnoreCase(System.getenv("CI")), System.out::println);
    }

    /** {@link #require(Class)} with the environment and the console given, to test the rule itself. */
    Path require(Class<?> test, boolean ci, Consumer<String> console) {
        String why = problem();
        if (why.isEmpty()) {
            return executable;
        }
        if (ci) {
            throw new AssertionError(test.getSimpleName() + " needs " + name + ", but " + why
                    + ". CI=true, so this test must run, not be skipped: " + INSTALL + " (.ci/run does)");
        }
        String line = "SKIPPED " + test.getSimpleName() + ": " + why + ". To run it: " + INSTALL;
        if (!announced) {
            announced = true;
            console.accept(line);
        }
        Assumptions.abort(line);
        throw new AssertionError("unreachable: abort throws");
    }

    /** Why the program cannot run here, or "" when it can; checked on the first call only. */
    String problem() {
        if (problem == null) {
            problem = check();
        }
        return problem;
    }

    private String check() {
        if (!Files.isExecutable(executable)) {
            return executable + " is not installed";
        }
        if (probe.isEmpty()) {
            return "";
        }
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(probe);
        try (ExternalProcess run = ExternalProcess.start(command)) {
            ExternalProcess.Result r = run.await();
            if (r.exitCode() != 0) {
                // Python's last line names the error: "ModuleNotFoundError: No module named 'websockets'".
                String lastLine = r.stderr().lines().reduce((a, b) -> b).orElse("exit " + r.exitCode());
                return "'" + String.join(" ", command) + "' failed (" + lastLine.strip() + ")";
            }
        }
        return "";
    }
}
