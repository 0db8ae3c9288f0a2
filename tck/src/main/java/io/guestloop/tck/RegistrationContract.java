package io.guestloop.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.guestloop.internal.GuardedRegistration;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * {@link io.guestloop.spi.LoopThread#register} and {@link Registration}: what a registration reports,
 * which calls are refused, and that {@link Registration#cancel()} stops every callback at once.
 */
abstract class RegistrationContract extends ContractGroup {

    @Test
    void registrationReportsItsChannelAndInterest() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        loop.run("check", () -> {
            assertSame(pair.near, registration.channel(), "channel()");
            assertEquals(SelectionKey.OP_READ, registration.interestOps(), "interestOps() after register");
            assertTrue(registration.isValid(), "isValid() after register");
            registration.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, registration.interestOps(),
                    "interestOps() after interestOps(READ|WRITE)");
            registration.interestOps(0);
        });
    }

    @Test
    void registerOffTheLoopThreadThrowsIllegalStateAndWatchesNothing() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        RecordingListener offThread = loop.listener();
        assertThrows(IllegalStateException.class,
                () -> loop.register(pair.near, SelectionKey.OP_READ, offThread),
                "register() called on the test thread");

        pair.send(1);
        RecordingListener onLoop = loop.listener((registration, ops) -> SocketPair.drain(pair.near));
        loop.call("register on the loop", () -> loop.register(pair.near, SelectionKey.OP_READ, onLoop));
        onLoop.nextReadyOps("READ for the registration made on the loop thread");
        loop.settle();
        assertEquals(0, offThread.calls.get(), "onReady calls for the refused registration");
    }

    @Test
    void registerOfAClosedChannelThrowsIOException() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        pair.near.close();
        Throwable thrown = loopFailure(loop,
                () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        assertInstanceOf(IOException.class, thrown, "register() of a closed channel");
    }

    @Test
    void registerWithOpsTheChannelDoesNotSupportThrowsIllegalArgument() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        Throwable thrown = loopFailure(loop,
                () -> loop.register(pair.near, SelectionKey.OP_ACCEPT, loop.listener()));
        assertInstanceOf(IllegalArgumentException.class, thrown, "register() of a SocketChannel for OP_ACCEPT");

        pair.send(1);
        RecordingListener listener = loop.listener((registration, ops) -> SocketPair.drain(pair.near));
        loop.call("register again", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        assertEquals(SelectionKey.OP_READ, listener.nextReadyOps("READ after the refused registration"));
    }

    @Test
    void interestOpsTheChannelDoesNotSupportThrowIllegalArgument() throws Exception {
        ThreadProbe loop = startedThread();
        Pipe pipe = session().channels().openPipe();
        session().track(pipe.source());
        session().track(pipe.sink());
        pipe.source().configureBlocking(false);
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pipe.source(), SelectionKey.OP_READ, loop.listener()));
        Throwable thrown = loopFailure(loop, () -> {
            registration.interestOps(SelectionKey.OP_WRITE);
            return null;
        });
        assertInstanceOf(IllegalArgumentException.class, thrown, "interestOps(OP_WRITE) on a pipe's source");
        assertEquals(SelectionKey.OP_READ, (int) loop.call("interest", registration::interestOps),
                "interestOps() after the refused change");
    }

    @Test
    void interestOpsAfterCancelThrowsIllegalState() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        Throwable thrown = loopFailure(loop, () -> {
            registration.cancel();
            registration.interestOps(SelectionKey.OP_WRITE);
            return null;
        });
        assertInstanceOf(IllegalStateException.class, thrown, "interestOps() after cancel()");
    }

    @Test
    void cancelIsIdempotentAndInvalidates() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        loop.run("cancel twice", () -> {
            registration.cancel();
            assertFalse(registration.isValid(), "isValid() after cancel()");
            registration.cancel();
            assertFalse(registration.isValid(), "isValid() after a second cancel()");
        });
    }

    @Test
    void cancelLeavesTheChannelOpen() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, loop.listener()));
        loop.run("cancel", registration::cancel);
        loop.passTurns(1);
        assertTrue(pair.near.isOpen(), "channel open after cancel()");
    }

    @Test
    void cancelInsideOnReadyStopsDelivery() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicInteger afterCancel = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        // The data is never read: level-triggered readiness reports it on every turn until cancel().
        RecordingListener listener = loop.listener((registration, ops) -> {
            if (cancelled.get()) {
                afterCancel.incrementAndGet();
            } else if (seen.incrementAndGet() == 3) {
                registration.cancel();
                cancelled.set(true);
            }
        });
        loop.call("register", () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        pair.send(1);
        for (int i = 0; i < 3; i++) {
            listener.nextReadyOps("READ report " + (i + 1) + " of unread data");
        }
        loop.settle();
        assertTrue(cancelled.get(), "the listener cancelled its registration");
        assertEquals(0, afterCancel.get(), "onReady calls after cancel() returned");
    }

    @Test
    void cancelFromAnotherCallbackStopsDelivery() throws Exception {
        ThreadProbe loop = startedThread();
        SocketPair pair = session().socketPair();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicInteger afterCancel = new AtomicInteger();
        RecordingListener listener = loop.listener((registration, ops) -> {
            if (cancelled.get()) {
                afterCancel.incrementAndGet();
            }
        });
        GuardedRegistration registration = loop.call("register",
                () -> loop.register(pair.near, SelectionKey.OP_READ, listener));
        pair.send(1);
        listener.nextReadyOps("READ of unread data");
        loop.run("cancel", () -> {
            registration.cancel();
            cancelled.set(true);
        });
        loop.settle();
        assertEquals(0, afterCancel.get(), "onReady calls after cancel() returned");
    }

    @Test
    void cancelSuppressesReadinessAlreadyCollectedInTheSameTurn() throws Exception {
        ThreadProbe loop = startedThread();
        // Whichever the loop calls first cancels the other, which was ready in the same turn.
        SameTurnPair pair = SameTurnPair.start(loop, session(), SelectionKey.OP_READ, (self, other, channel) -> {
            other.cancel();
            SocketPair.drain(channel);
        });
        assertEquals(1, Math.min(pair.first.calls.get(), 1) + Math.min(pair.second.calls.get(), 1),
                "registrations called (first: " + pair.first.calls + ", second: " + pair.second.calls
                        + "); the one cancelled by the other's callback must never be called");
    }

    /** Runs {@code task} on the loop and returns what it threw, failing when it threw nothing. */
    static Throwable loopFailure(ThreadProbe loop, Callable<?> task) {
        try {
            loop.submit(task).get(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("waiting for the task on the loop failed", e);
        }
        throw new AssertionError("expected the call on the loop thread to throw, but it returned normally");
    }
}
