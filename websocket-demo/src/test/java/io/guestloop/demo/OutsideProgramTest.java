package io.guestloop.demo;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule of {@link OutsideProgram}, on programs that are certainly there (this JVM's own
 * {@code java}) and certainly not (a file that does not exist), whatever this machine has installed.
 */
class OutsideProgramTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Path NOWHERE = Path.of("/nonexistent/guestloop-test/chromium");

    private final List<String> console = new ArrayList<>();

    @Test
    void aProgramThatIsThereIsHandedToTheTest() {
        OutsideProgram java = new OutsideProgram("java", JAVA, List.of("-version"));
        assertEquals(JAVA, java.require(OutsideProgramTest.class, false, console::add));
        assertEquals(JAVA, java.require(OutsideProgramTest.class, true, console::add));
        assertEquals(List.of(), console, "nothing to say about a program that is there");
    }

    @Test
    void aMissingProgramSkipsTheTestWithOneLineNamingTheTestAndTheInstallCommand() {
        OutsideProgram missing = new OutsideProgram("Chromium", NOWHERE, List.of());
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> missing.require(BrowserTest.class, false, console::add));
        assertEquals(List.of("SKIPPED BrowserTest: " + NOWHERE + " is not installed. To run it: "
                + "apt-get install chromium python3-websockets xvfb"), console);
        assertTrue(skipped.getMessage().contains(OutsideProgram.INSTALL), skipped.getMessage());
    }

    @Test
    void theLineIsPrintedOnceHoweverManyTestsAreSkipped() {
        OutsideProgram missing = new OutsideProgram("Chromium", NOWHERE, List.of());
        for (int i = 0; i < 4; i++) {
            assertThrows(TestAbortedException.class, () -> missing.require(BrowserTest.class, false, console::add));
        }
        assertEquals(1, console.size(), console.toString());
    }

    @Test
    void withCiTrueAMissingProgramFailsTheTestInstead() {
        OutsideProgram missing = new OutsideProgram("Chromium", NOWHERE, List.of());
        AssertionError failed = assertThrows(AssertionError.class,
                () -> missing.require(BrowserTest.class, true, console::add));
        assertTrue(failed.getMessage().startsWith("BrowserTest needs Chromium, but " + NOWHERE + " is not installed"),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("CI=true") && failed.getMessage().contains(OutsideProgram.INSTALL),
                failed.getMessage());
    }

    @Test
    void aProgramWhoseProbeFailsCountsAsMissingAndSaysWhy() {
        // java has no -c option: the probe exits non-zero, as python3 does when it cannot import websockets.
        OutsideProgram unusable = new OutsideProgram("Python's websockets", JAVA, List.of("-c", "import websockets"));
        assertThrows(TestAbortedException.class, () -> unusable.require(PythonClientTest.class, false, console::add));
        assertEquals(1, console.size(), console.toString());
        assertTrue(console.get(0).startsWith("SKIPPED PythonClientTest: '" + JAVA + " -c import websockets' failed ("),
                console.get(0));
        assertThrows(AssertionError.class, () -> unusable.require(PythonClientTest.class, true, console::add));
    }
}
