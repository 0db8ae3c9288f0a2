package io.guestloop.bench;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's text targets on made-up cells: issue 19's 16 KiB text CPU targets are judged on the
 * guest that echoes text as bytes, the guest that echoes a String keeps lines of its own, and each path
 * has its own allocation budget.
 */
class ReportTextTargetsTest {

    private static final int BIG = 16 * 1024;

    private final List<LoadRuns.Cell> cells = new ArrayList<>();

    @Test
    void textCpuTargetsAreJudgedOnTheBytesPathAndListedForTheStringPath() {
        text(BIG, "guest-nio", 20.0, 16_424);
        text(BIG, "guest-nio-utf8", 9.0, 2);
        text(BIG, "raw-nio", 8.0, 50);
        text(BIG, "netty", 60.0, 500);
        text(BIG, "vertx", 18.0, 50_000);
        String md = markdown();
        assertTrue(md.contains("| guest-nio-utf8 validated text echoed as bytes (onTextBytes, sendText(ByteBuffer)): CPU/msg ≤ 1.5 × raw NIO "
                + "(100 conns, 16 KiB) | 9.00 µs / 8.00 µs = 1.13 | met |"), md);
        assertTrue(md.contains("| guest-nio-utf8 validated text echoed as bytes (onTextBytes, sendText(ByteBuffer)): CPU/msg ≤ 1.0 × native Vert.x "
                + "(100 conns, 16 KiB) | 9.00 µs / 18.00 µs = 0.50 | met |"), md);
        assertTrue(md.contains("| guest-nio validated text echoed as a String (onText, sendText(String)): CPU/msg ≤ 1.5 × raw NIO "
                + "(100 conns, 16 KiB) | 20.00 µs / 8.00 µs = 2.50 | NOT met |"), md);
        assertTrue(md.contains("| guest-netty-utf8 validated text echoed as bytes (onTextBytes, sendText(ByteBuffer)): CPU/msg ≤ 1.5 × raw NIO "
                + "(100 conns, 16 KiB) | not measured | NOT met |"), md);
    }

    @Test
    void theBytesPathMayAllocateNothingAndTheStringPathOnlyItsString() {
        text(64, "guest-nio-utf8", 1.0, 8);
        text(BIG, "guest-nio-utf8", 9.0, 9);
        text(64, "guest-nio", 1.0, 104 + 8);
        text(BIG, "guest-nio", 20.0, BIG + 40 + 9);
        String md = markdown();
        assertTrue(md.contains("| guest-nio-utf8 text echoed as bytes (onTextBytes, sendText(ByteBuffer)): allocates ≤ 8 B/msg on its loop thread "
                + "(100 conns, 64 B text) | 8.0 B | met |"), md);
        assertTrue(md.contains("| guest-nio-utf8 text echoed as bytes (onTextBytes, sendText(ByteBuffer)): allocates ≤ 8 B/msg on its loop thread "
                + "(100 conns, 16 KiB text) | 9.0 B | NOT met |"), md);
        assertTrue(md.contains("| guest-nio text echoed as a String (onText, sendText(String)): allocates ≤ the String it receives (104 B) + 8 B/msg "
                + "on its loop thread (100 conns, 64 B text) | 112.0 B | met |"), md);
        assertTrue(md.contains("| guest-nio text echoed as a String (onText, sendText(String)): allocates ≤ the String it receives (16,424 B) + 8 "
                + "B/msg on its loop thread (100 conns, 16 KiB text) | 16433.0 B | NOT met |"), md);
    }

    @Test
    void theBytesPathOnNettyIsComparedWithNativeNettyInTheTable() {
        text(BIG, "guest-netty-utf8", 9.0, 2);
        text(BIG, "netty", 60.0, 500);
        String row = markdown().lines().filter(l -> l.startsWith("| 16 KiB text | 100 | guest-netty-utf8 |")).findFirst().orElseThrow();
        assertEquals("1.00", row.split("\\|")[13].trim(), row);
    }

    @Test
    void textAsBytesKindsRunOnlyInTextWorkloads() {
        assertFalse(EchoServer.runsIn("guest-nio-utf8", Payload.BINARY));
        assertFalse(EchoServer.runsIn("guest-netty-utf8", Payload.BINARY));
        assertTrue(EchoServer.runsIn("guest-nio-utf8", Payload.TEXT));
        assertTrue(EchoServer.runsIn("guest-netty-utf8", Payload.MIXED_TEXT));
        assertTrue(EchoServer.runsIn("guest-nio", Payload.BINARY));
    }

    /** One cell of 100 connections of ASCII text at 1,000 msg/s with these CPU and allocation figures. */
    private void text(int size, String server, double cpuUs, double allocated) {
        LoadGenerator.Result r = new LoadGenerator.Result(4_000, 6_000, 4, 1_000, 900, 1_100, 10, 20, 30, 40, 0, 0, null, 0.5);
        cells.add(new LoadRuns.Cell(size, LoadRuns.KEY_CONNECTIONS, Payload.TEXT, server, LoadGenerator.Framing.LEAN,
                List.of(r), List.of(cpuUs), List.of(allocated)));
    }

    private String markdown() {
        Comparison.Settings settings = new Comparison.Settings(1, 1, 0, 300, 500, null, null, List.of(), List.of(),
                new File("target"), false, List.of(EchoServer.KINDS), List.of(), LoadGenerator.Framing.LEAN, "test");
        Comparison.Machine machine = new Comparison.Machine(LocalDate.of(2026, 12, 1), 2, "test CPU", "test JDK", "0 0 0");
        return new Report(settings, false, machine, machine, Duration.ZERO, cells, List.of(), List.of()).markdown();
    }
}
