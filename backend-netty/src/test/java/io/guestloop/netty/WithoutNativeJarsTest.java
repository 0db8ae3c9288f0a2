package io.guestloop.netty;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The backend needs Netty's native transport jars only for native loops: with none of them on the
 * class path it still loads, is found, and serves a NIO group. The test runs a guest echo
 * ({@link NioOnlyProbe}) in a class loader made of this test's class path minus those jars.
 *
 * <p><b>Threading:</b> test thread only.
 */
class WithoutNativeJarsTest {

    private static final List<String> NATIVE_JARS = List.of("netty-transport-native-unix-common",
            "netty-transport-classes-epoll", "netty-transport-classes-io_uring",
            "netty-transport-native-epoll", "netty-transport-native-io_uring");

    @Test
    void aNioGroupIsServedWithNoNativeJarOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (NATIVE_JARS.stream().noneMatch(entry::contains)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader withoutNative = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> withoutNative.loadClass("io.netty.channel.unix.Socket"),
                    "the loader still sees the native jars");
            Thread.currentThread().setContextClassLoader(withoutNative);
            Object result = withoutNative.loadClass(NioOnlyProbe.class.getName()).getMethod("run").invoke(null);
            assertEquals("netty:ping", result);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }
}
