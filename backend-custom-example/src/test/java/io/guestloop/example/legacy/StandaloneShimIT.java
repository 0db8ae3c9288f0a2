package io.guestloop.example.legacy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Follows the README's shim section as a newcomer would, outside the repository: writes every file
 * the section shows into a new Maven project, copies {@code LegacyLoop} and its shim into it under
 * the package {@code com.example.myloop}, and runs {@code mvn test} there against the artifacts of
 * this build. The kit must run and pass: the instructions cannot rot.
 *
 * <p>Runs in the integration-test phase (the api and tck jars of this build exist by then). The
 * project gets a fresh local repository; this build's guestloop artifacts, and everything else,
 * come from file repositories on this machine: no network.
 */
class StandaloneShimIT {

    private static final Pattern BLOCK = Pattern.compile("<!-- standalone-shim: (\\S+) -->\\R```[a-z]*\\R(.*?)\\R```", Pattern.DOTALL);
    private static final Pattern SUMMARY = Pattern.compile("Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)\\s*$", Pattern.MULTILINE);

    private final Path module = Path.of("").toAbsolutePath();
    private final Path root = module.getParent();
    private final String version = System.getProperty("guestloop.version", "");

    @Test
    void theReadmeShimSectionBuildsAStandaloneProjectWhoseKitRunPasses() throws Exception {
        assertTrue(!version.isEmpty(), "the guestloop.version system property is not set (failsafe passes it)");
        Path project = fresh(module.resolve("target/standalone-shim"));
        Map<String, String> files = readmeFiles();
        assertTrue(files.keySet().containsAll(List.of("pom.xml", "src/main/resources/META-INF/services/io.guestloop.spi.LoopOpsProvider")),
                "the README's shim section lost a file block: " + files.keySet());
        assertTrue(files.get("pom.xml").contains("<guestloop.version>" + version + "</guestloop.version>"),
                "the README's standalone pom names another guestloop version than this build's " + version);
        for (Map.Entry<String, String> f : files.entrySet()) {
            write(project.resolve(f.getKey()), f.getValue() + "\n");
        }
        Path legacy = module.resolve("src/main/java/io/guestloop/example/legacy");
        copyAsMine(legacy.resolve("loop/LegacyLoop.java"), project.resolve("src/main/java/com/example/myloop/loop/LegacyLoop.java"));
        copyAsMine(legacy.resolve("LegacyLoopOps.java"), project.resolve("src/main/java/com/example/myloop/LegacyLoopOps.java"));
        copyAsMine(legacy.resolve("LegacyLoopOpsProvider.java"), project.resolve("src/main/java/com/example/myloop/LegacyLoopOpsProvider.java"));

        Path artifacts = fresh(module.resolve("target/standalone-artifacts"));
        stage(artifacts, "guestloop-project", root.resolve("project/pom.xml"), null);
        stage(artifacts, "guestloop-parent", root.resolve("pom.xml"), null);
        stage(artifacts, "guestloop-bom", root.resolve("bom/pom.xml"), null);
        stage(artifacts, "guestloop-api", root.resolve("api/pom.xml"), root.resolve("api/target/guestloop-api-" + version + ".jar"));
        stage(artifacts, "guestloop-tck", root.resolve("tck/pom.xml"), root.resolve("tck/target/guestloop-tck-" + version + ".jar"));
        Path settings = module.resolve("target/standalone-settings.xml");
        write(settings, settings(project.resolve(".m2"), artifacts, Path.of(System.getProperty("user.home"), ".m2", "repository")));

        Path log = module.resolve("target/standalone-shim.log");
        ProcessBuilder mvn = new ProcessBuilder(maven(), "-B", "-s", settings.toString(), "test")
                .directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        mvn.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = mvn.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn test of the standalone shim project ran over 10 minutes; see " + log);
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), "mvn test of the standalone shim project failed; see " + log + "\n" + tail(output));
        int run = 0;
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            run = Integer.parseInt(m.group(1)); // the last summary is the module's total
            assertEquals("0", m.group(2) + "", "failures in " + log);
        }
        assertTrue(run >= 100, "the standalone project ran " + run + " kit tests; the kit has more than 100 (see " + log + ")");
    }

    /** The README's {@code <!-- standalone-shim: path -->} blocks, path to content. */
    private Map<String, String> readmeFiles() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(Files.readString(root.resolve("README.md")));
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        return files;
    }

    /** What the README says to do with the example's sources: take them into your own package. */
    private static void copyAsMine(Path from, Path to) throws IOException {
        write(to, Files.readString(from).replace("io.guestloop.example.legacy", "com.example.myloop"));
    }

    /** Lays out {@code pom} (and {@code jar}) as a Maven repository holds {@code io.guestloop:artifact:version}. */
    private void stage(Path repo, String artifact, Path pom, Path jar) throws IOException {
        Path dir = repo.resolve("io/guestloop/" + artifact + "/" + version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after the reactor packaged api and tck");
            Files.copy(jar, dir.resolve(artifact + "-" + version + ".jar"));
        }
    }

    /**
     * A fresh local repository; this build's guestloop artifacts from {@code artifacts}; everything
     * Maven Central would give, from this machine's own repository (the reactor that runs this test
     * has just used the same plugins and libraries), so the run needs no network.
     */
    private static String settings(Path localRepo, Path artifacts, Path userRepo) {
        String repo = "<repository><id>guestloop-this-build</id><url>" + artifacts.toUri()
                + "</url><snapshots><enabled>true</enabled></snapshots></repository>";
        return "<settings>\n  <localRepository>" + localRepo + "</localRepository>\n"
                + "  <mirrors><mirror><id>this-machine</id><mirrorOf>central</mirrorOf><url>" + userRepo.toUri() + "</url></mirror></mirrors>\n"
                + "  <profiles><profile><id>standalone</id>\n"
                + "    <repositories>" + repo + "</repositories>\n"
                + "  </profile></profiles>\n  <activeProfiles><activeProfile>standalone</activeProfile></activeProfiles>\n</settings>\n";
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        return home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn";
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}
