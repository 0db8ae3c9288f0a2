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
 *   <li>{@code cpu}: prints {@code cpu <loop thread CPU time in ns> <bytes allocated by the loop thread> <echoed>}
 *       (the allocation figure is -1 where the JVM cannot count it; echoed is {@link EchoServer#echoed()});</li>
 *   <li>{@code proc}: prints {@code proc <CPU time of the whole process in ns>} (every thread: TLS
 *       engines may run handshake work off the loop);</li>
 *   <li>{@code rss}: prints {@code rss <resident set in KiB>} ({@code VmRSS} of {@code /proc/self/status});</li>
 *   <li>{@code quit} or end of input: stops the server and exits.</li>
 * </ul>
 *
 * <p><b>Threading:</b> the main thread reads commands; the server runs on its own loop thread. The
 * parent's side ({@code port}, {@code heap}, {@code loopCounters}, {@code processCpu}, {@code resident}) runs
 * on the runner's one thread, one question at a time per child.
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
                case "cpu" -> {
                    long echoed = server.echoed(); // first: the loop's counters below cover at least its work
                    System.out.println("cpu " + threads.getThreadCpuTime(loopId) + " " + allocated(threads, loopId) + " " + echoed);
                }
                case "proc" -> System.out.println("proc " + processCpuNanos());
                case "rss" -> System.out.println("rss " + residentKiB());
                default -> System.out.println("error unknown command '" + line + "': expected heap, cpu, proc, rss or quit");
            }
            System.out.flush();
        }
        server.close();
        System.exit(0);
    }

    // ---- the parent's side: each asks a ServerMain child process once and parses its answer ----

    /** The port the child listens on, from its first line. */
    static int port(ChildProcess server) {
        return (int) answer(server, null, "listening on port ")[0];
    }

    /** {@code heap}: the child's heap in use after full collections, in bytes. */
    static long heap(ChildProcess server) {
        return answer(server, "heap", "heap ")[0];
    }

    /**
     * {@code cpu}: the child's loop thread CPU time (ns), the bytes it allocated (-1 when the JVM cannot
     * tell) and what the server echoed so far ({@link EchoServer#echoed()}: messages, or bytes for the
     * raw echo; -1 when it does not count).
     */
    static long[] loopCounters(ChildProcess server) {
        long[] a = answer(server, "cpu", "cpu ");
        return new long[] {a[0], a.length > 1 ? a[1] : -1, a.length > 2 ? a[2] : -1};
    }

    /** {@code proc}: the child's whole-process CPU time in ns. */
    static long processCpu(ChildProcess server) {
        return answer(server, "proc", "proc ")[0];
    }

    /** {@code rss}: the child's resident set in KiB. */
    static long resident(ChildProcess server) {
        return answer(server, "rss", "rss ")[0];
    }

    /** Sends {@code command} (none when null), waits up to 60 s for the line starting with {@code prefix}, and parses its numbers. */
    private static long[] answer(ChildProcess server, String command, String prefix) {
        if (command != null) {
            server.send(command);
        }
        String[] f = server.awaitLine(prefix, 60).substring(prefix.length()).trim().split(" +");
        long[] numbers = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            numbers[i] = Long.parseLong(f[i]);
        }
        return numbers;
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
