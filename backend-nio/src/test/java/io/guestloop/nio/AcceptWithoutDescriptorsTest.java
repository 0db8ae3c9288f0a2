package io.guestloop.nio;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listener whose accept fails because the process is out of file descriptors (EMFILE) pauses
 * instead of spinning: the pending connection keeps the socket readable, and a loop that retried at
 * once would burn its thread and write a warning per turn. Runs a guest echo server in a child JVM
 * whose descriptor limit is lowered with {@code prlimit}, then raised again: the waiting clients are
 * then served.
 */
class AcceptWithoutDescriptorsTest {

    @Test
    void aListenerOutOfDescriptorsPausesInsteadOfSpinningAndRecovers() throws Exception {
        Path prlimit = Path.of("/usr/bin/prlimit");
        assertTrue(Files.isExecutable(prlimit), "this test needs prlimit (util-linux), found none at " + prlimit);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AcceptStarvedServer.class.getName()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
        Thread stderr = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = err.readLine()) != null; ) {
                    if (l.contains("accept failed")) {
                        failures.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-stderr");
        stderr.setDaemon(true);
        stderr.start();
        List<Socket> clients = new ArrayList<>();
        try {
            int port = Integer.parseInt(line(out, "port").substring(5));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            echo(client(address, clients), 1); // every class of the accept and echo paths is loaded now

            String limits = run(prlimit.toString(), "--pid", String.valueOf(child.pid()), "--nofile", "--noheadings", "--raw",
                    "--output=SOFT,HARD").trim();
            // The kernel hands out the lowest free descriptor number: below a limit at that number, none is left.
            java.util.Set<Integer> used;
            try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(child.pid()), "fd"))) {
                used = fds.map(p -> Integer.parseInt(p.getFileName().toString())).collect(java.util.stream.Collectors.toSet());
            }
            int lowestFree = 0;
            while (used.contains(lowestFree)) {
                lowestFree++;
            }
            run(prlimit.toString(), "--pid", String.valueOf(child.pid()), "--nofile=" + lowestFree + ":" + limits.split("\\s+")[1]);
            for (int i = 0; i < 5; i++) {
                client(address, clients); // queued by the kernel; accepting them fails with EMFILE
            }
            long cpuBefore = cpuMillis(child.pid());
            // Measuring, not synchronising: two seconds in which a spinning listener would fail and log
            // thousands of times and use the whole time of its thread.
            new CountDownLatch(1).await(2, TimeUnit.SECONDS);
            long cpu = cpuMillis(child.pid()) - cpuBefore;
            long failed = failures.get();
            System.out.println("[nio] out of descriptors for 2 s: " + failed + " accept failures logged, child JVM CPU " + cpu + " ms");
            assertTrue(failed >= 1, "accept never failed: the descriptor limit did not bite");
            assertTrue(failed <= 5, failed + " accept failures in about 2 s: the listener retries instead of pausing");
            assertTrue(cpu < 1_000, "the child JVM used " + cpu + " ms of CPU in 2 s while accept failed");

            run(prlimit.toString(), "--pid", String.valueOf(child.pid()), "--nofile=" + limits.replaceAll("\\s+", ":"));
            for (int i = 1; i < clients.size(); i++) {
                echo(clients.get(i), i + 1); // served once the pause is over
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            in.close();
            child.destroy();
            if (!child.waitFor(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static Socket client(InetSocketAddress address, List<Socket> clients) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.connect(address, (int) Timeouts.AWAIT.toMillis());
        s.setSoTimeout((int) Timeouts.AWAIT.toMillis());
        return s;
    }

    private static void echo(Socket s, int value) throws IOException {
        byte[] bytes = {(byte) value, 42};
        s.getOutputStream().write(bytes);
        assertArrayEquals(bytes, s.getInputStream().readNBytes(2), "the echo");
    }

    /** User and system CPU time of a process, from {@code /proc/PID/stat} (clock ticks of 10 ms on Linux). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static String line(BufferedReader out, String prefix) throws Exception {
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String line = Timeouts.await(next, "a line from the child server");
        assertTrue(line != null && line.startsWith(prefix), "the child said: " + line);
        return line;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + output);
        return output;
    }
}
