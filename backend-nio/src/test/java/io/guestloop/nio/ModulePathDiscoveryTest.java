package io.guestloop.nio;

import io.guestloop.spi.LoopOpsProvider;
import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        String modulePath = location(LoopOpsProvider.class) + File.pathSeparator + location(NioLoopOpsProvider.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--module-path", modulePath,
                "-m", "io.guestloop.nio/io.guestloop.nio.ProviderListing")
                .redirectErrorStream(true)
                .start();
        String output = readAll(child);
        assertEquals(0, child.exitValue(), "ProviderListing on the module path failed:\n" + output);
        assertTrue(output.lines().anyMatch(line -> line.startsWith("nio\t") && line.contains("module io.guestloop.nio")),
                "nio not listed as a provider from module io.guestloop.nio:\n" + output);
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
