package io.guestloop.example.legacy.app;

import io.guestloop.tck.Timeouts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runnable example end to end: the application's work and the guest's on one thread. */
class LegacyApplicationTest {

    @Test
    void applicationWorkAndGuestWorkRunOnTheOneLoopThread() throws Exception {
        Map<String, CountDownLatch> seen = new LinkedHashMap<>();
        for (String marker : new String[] {"legacy: tick", "legacy: pipe says", "guest: echoed", "guest: mailbox says",
                "client: echo came back"}) {
            seen.put(marker, new CountDownLatch(1));
        }
        LegacyApplication app = new LegacyApplication(Duration.ofMillis(20), Duration.ZERO, 0, line -> seen.forEach((marker, latch) -> {
            if (line.contains(marker)) {
                latch.countDown();
            }
        }));
        CompletableFuture<LegacyApplication.Report> report = new CompletableFuture<>();
        Thread host = new Thread(() -> {
            try {
                report.complete(app.run());
            } catch (Throwable e) {
                report.completeExceptionally(e);
            }
        }, "host-main");
        host.start();
        seen.forEach((marker, latch) -> Timeouts.await(latch, "a line with '" + marker + "'"));
        app.stop();

        LegacyApplication.Report done = Timeouts.await(report, "the application to stop");
        assertTrue(done.ticks() > 0 && done.readings() > 0, "the application's own work: " + done);
        assertTrue(done.echoes() > 0 && done.notes() > 0, "the guest's work: " + done);
        assertEquals(Set.of("host-main"), done.loopWorkThreads());
    }
}
