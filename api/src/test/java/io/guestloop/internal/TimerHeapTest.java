package io.guestloop.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerHeapTest {

    private static final Comparator<GuestTimer> ORDER =
            Comparator.<GuestTimer>comparingLong(t -> t.deadline).thenComparingLong(t -> t.seq);

    private static GuestTimer timer(long deadline, long seq) {
        return new GuestTimer(null, deadline, seq, () -> { });
    }

    @Test
    void pollsInDeadlineThenSchedulingOrderUnderRandomAddsAndRemoves() {
        Random random = new Random(7);
        TimerHeap heap = new TimerHeap();
        PriorityQueue<GuestTimer> model = new PriorityQueue<>(ORDER);
        List<GuestTimer> live = new ArrayList<>();
        long seq = 0;
        for (int step = 0; step < 100_000; step++) {
            int op = random.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                GuestTimer t = timer(random.nextInt(1000), seq++);
                heap.add(t);
                model.add(t);
                live.add(t);
            } else if (op < 8) {
                GuestTimer t = live.remove(random.nextInt(live.size()));
                assertTrue(heap.remove(t));
                model.remove(t);
                assertEquals(-1, t.index);
            } else {
                GuestTimer expected = model.poll();
                assertSame(expected, heap.poll());
                live.remove(expected);
            }
            assertEquals(model.size(), heap.size());
            assertSame(model.peek(), heap.peek());
        }
    }

    @Test
    void removingATimerTwiceOrOneNeverAddedReportsFalse() {
        TimerHeap heap = new TimerHeap();
        GuestTimer a = timer(5, 0);
        heap.add(a);
        assertTrue(heap.remove(a));
        assertFalse(heap.remove(a));
        assertFalse(heap.remove(timer(1, 1)));
        assertNull(heap.poll());
    }

    @Test
    void deadlinesCompareAcrossNanoTimeOverflow() {
        TimerHeap heap = new TimerHeap();
        GuestTimer late = timer(Long.MIN_VALUE + 10, 0); // after overflow: later than MAX_VALUE - 10
        GuestTimer early = timer(Long.MAX_VALUE - 10, 1);
        heap.add(late);
        heap.add(early);
        assertSame(early, heap.poll());
        assertSame(late, heap.poll());
    }

    @Test
    void clearMarksEveryTimerDone() {
        TimerHeap heap = new TimerHeap();
        GuestTimer a = timer(1, 0);
        GuestTimer b = timer(2, 1);
        heap.add(a);
        heap.add(b);
        heap.clear();
        assertTrue(heap.isEmpty());
        assertEquals(-1, a.index);
        assertEquals(-1, b.index);
    }
}
