package io.guestloop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mailbox on its own, over a stand-in service thread whose dispatches the test runs. */
class MailboxTest {

    private final TestServiceThread thread = new TestServiceThread();
    private final List<Integer> received = new ArrayList<>();

    @Test
    void aBoundedMailboxRefusesPostsBeyondItsCapacityAndQueuesNothingForThem() {
        Mailbox<Integer> box = Mailbox.open(thread, 3, received::add);
        assertTrue(box.post(1));
        assertTrue(box.post(2));
        assertTrue(box.post(3));
        assertTrue(box.isFull());
        assertFalse(box.post(4), "full: refused");
        assertEquals(3, box.size());
        assertEquals(3, thread.wakeups.get(), "a refused post wakes nobody");
        thread.dispatch();
        assertEquals(List.of(1, 2, 3), received);
        assertFalse(box.isFull());
        assertTrue(box.post(5));
        thread.dispatch();
        assertEquals(List.of(1, 2, 3, 5), received);
    }

    @Test
    void aMailboxOpenedWithoutACapacityNeverRefuses() {
        Mailbox<Integer> box = Mailbox.open(thread, received::add);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(box.post(i));
        }
        assertEquals(Integer.MAX_VALUE, box.capacity());
        assertFalse(box.isFull());
    }

    @Test
    void whenRoomRunsOnceADispatchLeavesAtMostHalfTheCapacity() {
        Mailbox<Integer> box = Mailbox.open(thread, 3000, received::add);
        for (int i = 0; i < 3000; i++) {
            box.post(i);
        }
        AtomicInteger told = new AtomicInteger();
        assertTrue(box.whenRoom(told::incrementAndGet));
        thread.dispatch();  // 1,024 received: 1,976 left, more than half
        assertEquals(0, told.get());
        thread.dispatch();  // 952 left
        assertEquals(1, told.get());
        thread.dispatch();
        assertEquals(1, told.get(), "once");
        assertEquals(3000, received.size());
    }

    @Test
    void whenRoomWithRoomAlreadyWakesTheThreadAndRunsAtTheNextDispatch() {
        Mailbox<Integer> box = Mailbox.open(thread, 2, received::add);
        AtomicInteger told = new AtomicInteger();
        int before = thread.wakeups.get();
        box.whenRoom(told::incrementAndGet);
        assertEquals(before + 1, thread.wakeups.get());
        thread.dispatch();
        assertEquals(1, told.get());
    }

    @Test
    void aWhenRoomTaskThatThrowsDoesNotStopTheOthers() {
        Mailbox<Integer> box = Mailbox.open(thread, 2, received::add);
        AtomicInteger told = new AtomicInteger();
        box.whenRoom(() -> {
            throw new IllegalStateException("first waiter");
        });
        box.whenRoom(told::incrementAndGet);
        IllegalStateException e = assertThrows(IllegalStateException.class, thread::dispatch);
        assertEquals("first waiter", e.getMessage());
        assertEquals(1, told.get());
    }

    @Test
    void aReceiverThatThrowsLeavesTheRestForTheNextDispatch() {
        Mailbox<Integer> box = Mailbox.open(thread, 10, m -> {
            if (m == 1) {
                throw new IllegalStateException("bad message");
            }
            received.add(m);
        });
        box.post(1);
        box.post(2);
        int before = thread.wakeups.get();
        assertThrows(IllegalStateException.class, thread::dispatch);
        assertEquals(before + 1, thread.wakeups.get(), "the thread is woken again for the rest");
        thread.dispatch();
        assertEquals(List.of(2), received);
    }

    @Test
    void aClosedMailboxRefusesPostsAndWaitersAndLetsGoOfItsThread() {
        Mailbox<Integer> box = Mailbox.open(thread, 4, received::add);
        box.post(1);
        assertEquals(1, thread.boundHandlers());
        box.close();
        assertEquals(0, thread.boundHandlers());
        assertFalse(box.post(2));
        assertFalse(box.whenRoom(() -> { }));
        assertEquals(0, box.size());
        assertThrows(IllegalArgumentException.class, () -> Mailbox.<Integer>open(thread, 0, received::add));
    }

    /**
     * Senders on four threads push through a mailbox of 8 with the refuse-and-wait protocol, while a
     * fifth thread plays the loop: every message arrives, each sender's in order, the mailbox never
     * holds more than its capacity, and no refused sender is left waiting.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusedSendersThatWaitForRoomLoseNothingAndAreNeverLeftWaiting() throws Exception {
        int senders = 4;
        int each = 20_000;
        int capacity = 8;
        Semaphore wake = new Semaphore(0);
        TestServiceThread loop = new TestServiceThread() {
            @Override
            void onWakeup() {
                wake.release();
            }
        };
        int[] next = new int[senders];
        List<String> problems = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(senders * each);
        Mailbox<int[]>[] box = new Mailbox[1];
        box[0] = Mailbox.open(loop, capacity, m -> {
            if (next[m[0]]++ != m[1]) {
                problems.add("sender " + m[0] + " message " + m[1] + " out of order");
            }
            if (box[0].size() > capacity) {
                problems.add("size " + box[0].size() + " over the capacity");
            }
            all.countDown();
        });
        Thread loopThread = new Thread(() -> {
            try {
                while (true) {
                    wake.acquire();          // coalesced, as cancelService() is
                    wake.drainPermits();
                    loop.dispatch();
                }
            } catch (InterruptedException e) {
                // the test is over
            }
        }, "mailbox-test-loop");
        loop.loopThread(loopThread);
        loopThread.start();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Thread t = new Thread(() -> {
                Semaphore room = new Semaphore(0);
                for (int i = 0; i < each; i++) {
                    int[] message = {sender, i};
                    while (!box[0].post(message)) {
                        box[0].whenRoom(room::release);
                        try {
                            if (!room.tryAcquire(20, TimeUnit.SECONDS)) {
                                problems.add("sender " + sender + " waited 20 s for room that never came");
                                return;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "sender-" + s);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(50));
        }
        boolean complete = all.await(20, TimeUnit.SECONDS);
        loopThread.interrupt();
        loopThread.join();
        assertEquals(List.of(), problems);
        assertTrue(complete, all.getCount() + " messages never arrived");
    }
}
