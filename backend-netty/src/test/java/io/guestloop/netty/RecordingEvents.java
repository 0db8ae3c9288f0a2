package io.guestloop.netty;

import io.guestloop.spi.ThreadEvents;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ThreadEvents} that count what they receive and remember the threads they ran on, with
 * hooks a test may replace.
 *
 * <p><b>Threading:</b> callbacks on the loop thread; counters and lists read from the test thread.
 */
class RecordingEvents implements ThreadEvents {

    final AtomicInteger timers = new AtomicInteger();
    final AtomicInteger wakeups = new AtomicInteger();
    final AtomicInteger hostClosings = new AtomicInteger();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch hostClosing = new CountDownLatch(1);
    volatile Runnable onTimer = () -> { };
    volatile Runnable onWakeup = () -> { };
    volatile Runnable onHostLoopClosing = () -> { };

    @Override
    public void onTimer() {
        threads.add(Thread.currentThread());
        timers.incrementAndGet();
        onTimer.run();
    }

    @Override
    public void onWakeup() {
        threads.add(Thread.currentThread());
        wakeups.incrementAndGet();
        onWakeup.run();
    }

    @Override
    public void onHostLoopClosing() {
        threads.add(Thread.currentThread());
        hostClosings.incrementAndGet();
        onHostLoopClosing.run();
        hostClosing.countDown();
    }
}
