package io.guestloop.example.legacy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the example what it claims to be: a loop that knows nothing of guestloop, and a shim short
 * enough to read in one sitting. Reads the sources (surefire runs in the module's directory).
 */
class SourceRulesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/guestloop/example/legacy");
    private static final Path LOOP_PACKAGE = SOURCES.resolve("loop");
    private static final int SHIM_MAX_CODE_LINES = 120;
    private static final int LOOP_MAX_CODE_LINES = 300;

    @Test
    void legacyLoopPackageMentionsNothingOfGuestloop() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Path file : javaFiles(LOOP_PACKAGE)) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                boolean ownPackage = line.equals("package io.guestloop.example.legacy.loop;");
                if (!ownPackage && line.contains("io.guestloop")) {
                    offending.add(file.getFileName() + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertTrue(offending.isEmpty(), "the legacy loop must not know guestloop, but: " + offending);
    }

    @Test
    void shimIsAtMost120LinesOfCode() throws IOException {
        int lines = codeLines(SOURCES.resolve("LegacyLoopOps.java")) + codeLines(SOURCES.resolve("LegacyLoopOpsProvider.java"));
        assertTrue(lines <= SHIM_MAX_CODE_LINES, "LegacyLoopOps + provider: " + lines + " code lines, limit " + SHIM_MAX_CODE_LINES);
    }

    @Test
    void legacyLoopIsAtMost300LinesOfCode() throws IOException {
        int lines = 0;
        for (Path file : javaFiles(LOOP_PACKAGE)) {
            lines += codeLines(file);
        }
        assertTrue(lines <= LOOP_MAX_CODE_LINES, "package loop: " + lines + " code lines, limit " + LOOP_MAX_CODE_LINES);
    }

    @Test
    void codeLineCountSkipsBlankLinesAndComments() {
        List<String> source = List.of(
                "/** Javadoc", " * more", " */", "class A {", "", "    // why", "    int x; // counted",
                "    /* one-line block */", "    /*", "     block", "    */ int y;", "}");
        assertEquals(4, codeLines(source));
        assertFalse(codeLines(List.of("  ", "// only a comment")) > 0);
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            assertFalse(found.isEmpty(), "no sources found in " + dir.toAbsolutePath());
            return found;
        }
    }

    static int codeLines(Path file) throws IOException {
        return codeLines(Files.readAllLines(file));
    }

    /** Lines with code on them: not blank, not only a comment (a line ending a block comment with code after it counts). */
    static int codeLines(List<String> lines) {
        int count = 0;
        boolean inBlock = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (inBlock) {
                int end = line.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                inBlock = false;
                line = line.substring(end + 2).strip();
            }
            while (line.startsWith("/*")) {
                int end = line.indexOf("*/", 2);
                if (end < 0) {
                    inBlock = true;
                    line = "";
                    break;
                }
                line = line.substring(end + 2).strip();
            }
            if (!line.isEmpty() && !line.startsWith("//")) {
                count++;
            }
        }
        return count;
    }
}
