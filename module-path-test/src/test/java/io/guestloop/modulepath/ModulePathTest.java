package io.guestloop.modulepath;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library on the module path, as an application that uses modules meets it: each check runs a
 * child JVM with {@code --module-path} (the library jars the reactor built, and this module's
 * {@link GuestOnModulePath}) and reads what it printed. Tests themselves run on the class path.
 */
class ModulePathTest {

    private static final String GUEST = "io.guestloop.modulepath/io.guestloop.modulepath.GuestOnModulePath";
    private static final String ECHO_EXAMPLE = "io.guestloop.nio/io.guestloop.nio.EchoExample";
    /** A child runs for a few seconds; this bounds one that hangs. */
    private static final Duration CHILD_BOUND = Duration.ofSeconds(90);
    private static final Path SCRATCH = Path.of(System.getProperty("modulepath.scratch", "target/child-jvms"));

    /** Module name to module-path entry, for every run-time dependency and this module's classes. */
    private static final Map<String, Path> MODULES = modules();

    @ParameterizedTest
    @ValueSource(strings = {"nio", "netty", "vertx", "legacy", "executor"})
    void aGuestRunsOnEveryBackendFromTheModulePath(String backend) throws Exception {
        Child child = run(backend, List.of(), GUEST, backend);
        child.assertExit(0);
        for (String[] p : new String[][] {{"nio", "io.guestloop.nio"}, {"netty", "io.guestloop.netty"},
                {"vertx", "io.guestloop.vertx"}, {"legacy", "io.guestloop.example.legacy"}, {"executor", "io.guestloop.executor"}}) {
            child.assertLine("provider " + p[0] + " in module " + p[1]);
        }
        child.assertLineStartingWith("backend " + backend + " on ");
        child.assertLine("echo ok");
        child.assertLine("closed");
        child.assertLine("done");
    }

    @Test
    void theGuestloopBackendPropertyForcesTheBackend() throws Exception {
        Child legacy = run("property-legacy", List.of("-Dguestloop.backend=legacy"), GUEST, "legacy");
        legacy.assertExit(0);
        legacy.assertLineStartingWith("backend legacy on ");

        // No host loop would select nio; the property insists on netty, which needs a Netty loop.
        Child netty = run("property-netty", List.of("-Dguestloop.backend=netty"), GUEST, "nio");
        assertEquals(1, netty.exit, netty.toString());
        assertTrue(netty.output.contains("Backend 'netty' does not accept the host loop (none)"), netty.toString());
    }

    @ParameterizedTest(name = "{0} is in {1}")
    @CsvSource({
            "netty,  guestloop-backend-netty",
            "vertx,  guestloop-backend-vertx",
            "legacy, guestloop-backend-custom-example",
            "executor, guestloop-backend-executor"})
    void aBackendWhoseJarIsMissingIsNamedWithTheJarToAdd(String backend, String jar) throws Exception {
        // Only the api and nio on the module path, as an application that forgot the backend's jar.
        Child child = run("missing-" + backend, List.of("-Dguestloop.backend=" + backend),
                modulePath("io.guestloop", "io.guestloop.nio"), List.of(), ECHO_EXAMPLE, "--port", "0");
        assertTrue(child.exit != 0, child.toString());
        assertTrue(child.output.contains("No guestloop backend named '" + backend + "'."), child.toString());
        assertTrue(child.output.contains("Add " + jar + " to the class path or module path."), child.toString());
    }

    @Test
    void withoutJdkJfrTheGuestRunsAndTheWatchdogStillReports() throws Exception {
        // --limit-modules leaves jdk.jfr out of the runtime, as a jlink image without JFR would; with
        // "requires jdk.jfr" the JVM would refuse to start.
        Child child = run("without-jfr", List.of(), modulePath(MODULES.keySet().toArray(String[]::new)),
                List.of("--limit-modules", "io.guestloop.modulepath,io.guestloop.nio"), GUEST, "nio", "--watchdog");
        child.assertExit(0);
        child.assertLine("jdk.jfr absent");
        child.assertLine("watchdog report 1 ok");
        child.assertLine("watchdog report 2 ok");
        assertTrue(child.output.contains("WARNING io.guestloop.watchdog: guest callback has held loop thread"), child.toString());
    }

    @Test
    void withAFlightRecordingTheWatchdogEventIsRecorded() throws Exception {
        Path recording = SCRATCH.resolve("watchdog.jfr").toAbsolutePath();
        Files.deleteIfExists(recording);
        Child child = run("with-jfr", List.of("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true"),
                GUEST, "nio", "--watchdog");
        child.assertExit(0);
        child.assertLine("jdk.jfr present");
        child.assertLine("watchdog report 2 ok");
        List<RecordedEvent> blocked = RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("io.guestloop.BlockedLoop"))
                .toList();
        assertTrue(blocked.size() >= 2, "two holds, at least two events; found " + blocked.size() + "\n" + child);
        assertEquals("nio", blocked.get(0).getString("backend"));
    }

    @Test
    void everyLibraryJarIsANamedModuleWithItsServices() {
        Map<String, ModuleDescriptor> ours = new TreeMap<>();
        for (Path entry : MODULES.values()) {
            for (ModuleReference m : ModuleFinder.of(entry).findAll()) {
                if (m.descriptor().name().startsWith("io.guestloop")) {
                    ours.put(m.descriptor().name(), m.descriptor());
                }
            }
        }
        assertEquals(Set.of("io.guestloop", "io.guestloop.nio", "io.guestloop.netty", "io.guestloop.vertx",
                "io.guestloop.example.legacy", "io.guestloop.executor", "io.guestloop.websocket", "io.guestloop.modulepath"), ours.keySet());
        ours.values().forEach(d -> assertFalse(d.isAutomatic(), d.name() + " is an automatic module"));

        ModuleDescriptor api = ours.get("io.guestloop");
        assertEquals(Set.of("io.guestloop.spi.LoopOpsProvider"), api.uses());
        assertEquals(Optional.of(Set.of(ModuleDescriptor.Requires.Modifier.STATIC)),
                api.requires().stream().filter(r -> r.name().equals("jdk.jfr")).findFirst().map(ModuleDescriptor.Requires::modifiers),
                "the api must run without jdk.jfr");
        for (String backend : List.of("io.guestloop.nio", "io.guestloop.netty", "io.guestloop.vertx", "io.guestloop.example.legacy",
                "io.guestloop.executor")) {
            assertEquals(Set.of("io.guestloop.spi.LoopOpsProvider"),
                    ours.get(backend).provides().stream().map(ModuleDescriptor.Provides::service).collect(Collectors.toSet()),
                    backend + " must provide the backend SPI");
        }
    }

    // ---- child JVMs ---------------------------------------------------------------------------

    /** What a child printed (stdout and stderr, interleaved) and how it ended. */
    private record Child(String name, int exit, String output) {
        void assertExit(int expected) {
            assertEquals(expected, exit, toString());
        }

        void assertLine(String line) {
            assertTrue(output.lines().anyMatch(line::equals), "no line '" + line + "' in\n" + this);
        }

        void assertLineStartingWith(String prefix) {
            assertTrue(output.lines().anyMatch(l -> l.startsWith(prefix)), "no line starting '" + prefix + "' in\n" + this);
        }

        @Override
        public String toString() {
            return "child JVM '" + name + "' exited with " + exit + ":\n" + output;
        }
    }

    private static Child run(String name, List<String> jvmOptions, String main, String... args) throws Exception {
        return run(name, jvmOptions, modulePath(MODULES.keySet().toArray(String[]::new)), List.of(), main, args);
    }

    private static Child run(String name, List<String> jvmOptions, String modulePath, List<String> moduleOptions,
                             String main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", modulePath));
        command.addAll(moduleOptions);
        command.addAll(List.of("-m", main));
        command.addAll(Arrays.asList(args));
        Files.createDirectories(SCRATCH);
        Path log = SCRATCH.resolve(name + ".log");
        // Into a file, not a pipe: a chatty child can never block on a full pipe, and no reader thread is needed.
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(CHILD_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(CHILD_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("child JVM '" + name + "' still running after " + CHILD_BOUND.toSeconds() + " s:\n"
                    + String.join(" ", command) + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Child(name, process.exitValue(), "$ " + String.join(" ", command) + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String modulePath(String... moduleNames) {
        List<String> entries = new ArrayList<>();
        for (String name : moduleNames) {
            Path entry = MODULES.get(name);
            if (entry == null) {
                throw new AssertionError("module " + name + " is not among the run-time dependencies: " + MODULES);
            }
            entries.add(entry.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /**
     * The run-time dependencies (written by maven-dependency-plugin: in a reactor build past
     * {@code package}, the library jars themselves) and this module's classes, by module name.
     */
    private static Map<String, Path> modules() {
        try {
            List<Path> entries = new ArrayList<>();
            entries.add(Path.of(System.getProperty("modulepath.classes", "target/classes")));
            String listed = Files.readString(Path.of(System.getProperty("modulepath.file", "target/module-path.txt"))).strip();
            for (String entry : listed.split(File.pathSeparator)) {
                entries.add(Path.of(entry));
            }
            Map<String, Path> byName = new TreeMap<>();
            for (Path entry : entries) {
                for (ModuleReference m : ModuleFinder.of(entry).findAll()) {
                    byName.put(m.descriptor().name(), entry);
                }
            }
            return byName;
        } catch (IOException e) {
            throw new AssertionError("cannot read the module path that maven-dependency-plugin writes", e);
        }
    }
}
