package io.guestloop.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * One server process of the comparison: {@code java io.guestloop.bench.ServerMain <kind>} starts
 * {@link EchoServer#of(String) that server} ({@code ServerMain <kind> <off|takeover|no_takeover>}: one of
 * {@link DeflateRuns#SERVERS} with permessage-deflate as {@link Deflate} says), prints {@code listening on port N}, then answers
 * commands read from stdin, one per line:
 * <ul>
 *   <li>{@code heap}: collects garbage and prints {@code heap <bytes used>};</li>
 *   <li>{@code cpu}: prints {@code cpu <loop thread CPU time in ns> <bytes allocated by the loop thread>}
 *       (the allocation figure is -1 where the JVM cannot count it);</li>
 *   <li>{@code proc}: prints {@code proc <CPU time of the whole process in ns>} (every thread: TLS
 *       engines may run handshake work off the loop);</li>
 *   <li>{@code rss}: prints {@code rss <resident set in KiB>} ({@code VmRSS} of {@code /proc/self/status});</li>
 *   <li>{@code quit} or end of input: stops the server and exits.</li>
 * </ul>
 *
 * <p><b>Threading:</b> the main thread reads commands; the server runs on its own loop thread.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 && args.length != 2) {
            System.err.println("usage: ServerMain <" + String.join("|", EchoServer.KINDS) + ">\n   or: ServerMain <"
                    + String.join("|", DeflateRuns.SERVERS) + "> <off|takeover|no_takeover>");
            System.exit(2);
        }
        EchoServer server = args.length == 1 ? EchoServer.of(args[0]) : DeflateRuns.server(args[0], DeflateGenerator.mode(args[1]));
        int port = server.start();
        long loopId = server.loopThread().getId();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.println("listening on port " + port);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            switch (line.trim()) {
                case "heap" -> System.out.println("heap " + heapAfterGc());
                case "cpu" -> System.out.println("cpu " + threads.getThreadCpuTime(loopId) + " " + allocated(threads, loopId));
                case "proc" -> System.out.println("proc " + processCpuNanos());
                case "rss" -> System.out.println("rss " + residentKiB());
                default -> System.out.println("error unknown command '" + line + "': expected heap, cpu, proc, rss or quit");
            }
            System.out.flush();
        }
        server.close();
        System.exit(0);
    }

    /** Bytes the thread allocated so far (TLAB-accurate), or -1 when the JVM does not count them. */
    private static long allocated(com.sun.management.ThreadMXBean threads, long id) {
        return threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()
                ? threads.getThreadAllocatedBytes(id) : -1;
    }

    /** CPU time of the whole process, every thread, or -1 where the JVM does not tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** The resident set of this process in KiB, or -1 where {@code /proc/self/status} does not tell. */
    static long residentKiB() throws java.io.IOException {
        java.nio.file.Path status = java.nio.file.Path.of("/proc/self/status");
        if (!java.nio.file.Files.exists(status)) {
            return -1;
        }
        return java.nio.file.Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
    }

    /** Heap in use after full collections have settled (several, as one may leave floating garbage). */
    static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used == Long.MAX_VALUE ? rt.totalMemory() - rt.freeMemory() : used;
    }
}
