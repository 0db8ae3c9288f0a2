package io.guestloop.nio;

import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nio must be found by {@link java.util.ServiceLoader} on the module path too, where only the
 * {@code provides} clause of {@code module-info.java} counts (META-INF/services is ignored for named
 * modules). Tests themselves run on the class path, so this launches a child JVM.
 */
class ModulePathDiscoveryTest {

    @Test
    void serviceLoaderFindsNioOnTheModulePath() throws Exception {
        Process child = new ProcessBuilder(java(), "--module-path", modulePath(),
                "-m", "io.guestloop.nio/io.guestloop.nio.ProviderListing")
                .redirectErrorStream(true)
                .start();
        String output = readAll(child);
        assertEquals(0, child.exitValue(), "ProviderListing on the module path failed:\n" + output);
        assertTrue(output.lines().anyMatch(line -> line.startsWith("nio\t") && line.contains("module io.guestloop.nio")),
                "nio not listed as a provider from module io.guestloop.nio:\n" + output);
    }

    @Test
    void aGuestContextWithNoHostLoopRunsOnNioOnTheModulePath() throws Exception {
        // EchoExample builds a context without a host loop: the api module's ServiceLoader must bind nio.
        Process child = new ProcessBuilder(java(), "--module-path", modulePath(),
                "-m", "io.guestloop.nio/io.guestloop.nio.EchoExample", "--port", "0")
                .redirectErrorStream(true)
                .start();
        child.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return String.valueOf(out.readLine()); // the bound address, or the start of a stack trace
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String first;
        try {
            first = Timeouts.await(firstLine, "the first line of EchoExample on the module path");
        } finally {
            child.destroy(); // SIGTERM: the shutdown hook closes the context
            if (!child.waitFor(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
            }
        }
        if (!first.contains("(backend nio,")) {
            throw new AssertionError("EchoExample on the module path did not start on nio:\n" + first + "\n" + rest(out));
        }
    }

    /** What the dead child printed after its first line, as far as it can still be read. */
    private static String rest(BufferedReader out) {
        StringBuilder rest = new StringBuilder();
        try {
            out.lines().limit(40).forEach(line -> rest.append(line).append('\n'));
        } catch (UncheckedIOException e) {
            rest.append("(output cut: ").append(e.getCause().getMessage()).append(')');
        }
        return rest.toString();
    }

    private static String modulePath() throws URISyntaxException {
        return location(LoopOpsProvider.class) + File.pathSeparator + location(NioLoopOpsProvider.class);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String readAll(Process child) throws IOException, InterruptedException {
        child.getOutputStream().close();
        byte[] bytes;
        try (InputStream in = child.getInputStream()) {
            bytes = in.readAllBytes(); // ends when the child exits; the wait below bounds a stuck child
        }
        if (!child.waitFor(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not exit within " + Timeouts.AWAIT);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The directory or jar a class was loaded from: target/classes in a build, a jar when installed. */
    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

}
