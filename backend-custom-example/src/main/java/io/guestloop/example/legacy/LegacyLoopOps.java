package io.guestloop.example.legacy;

import io.guestloop.example.legacy.loop.LegacyLoop;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopThread;
import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;
import io.guestloop.spi.ThreadEvents;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The shim that lets a guest run on a {@link LegacyLoop}: the backend SPI mapped onto the loop's own
 * API, and nothing else. A {@code LegacyLoop} has one thread, so this class is both the backend
 * ({@link LoopOps}) and its only service thread ({@link LoopThread}). The guest core checks threads
 * and interest sets, merges wake-ups and filters what it is told, so none of that is here.
 *
 * <p>The loop is borrowed, never owned: {@link #close()} drops this guest's watches and alarm and
 * leaves the loop running its own work. When the loop's owner stops it, the guest is told through
 * {@link ThreadEvents#onHostLoopClosing()}.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #threads()}, {@link #start}
 * and {@link #close()} from any thread; every other method on the loop's thread, where every
 * callback is delivered too.
 */
public final class LegacyLoopOps implements LoopOps, LoopThread {

    private final LegacyLoop loop;
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private volatile ThreadEvents events;
    /** The loop's stop listener: the host is going away under the guest, which closes itself from here. */
    private final Runnable hostStopping = () -> {
        events.onHostLoopClosing();
        release();
    };
    // Loop thread only:
    private final Set<LegacyLoop.Watch> watches = new HashSet<>();
    private LegacyLoop.Alarm alarm;

    /** A shim on {@code loop}, which may or may not be running yet. Any thread. */
    public LegacyLoopOps(LegacyLoop loop) {
        this.loop = loop;
    }

    @Override
    public List<LoopThread> threads() {
        return List.of(this);
    }

    @Override
    public boolean inLoop() {
        return loop.isLoopThread();
    }

    @Override
    public void start(ThreadEvents threadEvents) {
        events = threadEvents;
        loop.addStopListener(hostStopping);
    }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
        LegacyLoop.Watch watch = loop.watch(channel, loopEvents(interestOps), (w, ready) -> listener.onReady(spiOps(ready)));
        watches.add(watch);
        return new Registration() {
            @Override
            public void interestOps(int ops) {
                watch.change(loopEvents(ops));
            }

            @Override
            public void cancel() {
                watch.drop();
                watches.remove(watch);
            }
        };
    }

    @Override
    public void armTimer(long deadlineNanos) {
        disarmTimer(); // one timer per thread: a new arming replaces the old
        alarm = loop.alarmAt(deadlineNanos, events::onTimer);
    }

    @Override
    public void disarmTimer() {
        if (alarm != null) {
            alarm.cancel(); // LegacyLoop: idempotent, and harmless for an alarm that already ran
        }
    }

    @Override
    public void wakeup() {
        loop.execute(events::onWakeup); // the core merges wake-ups and keeps them from starving the loop
    }

    /** Drops what the guest left on the loop, on the loop's thread. The loop goes on. */
    @Override
    public CompletionStage<Void> close() {
        if (events == null || loop.isLoopThread()) {
            release();
        } else {
            loop.execute(this::release); // should the loop stop first, its stop listener releases
        }
        return released;
    }

    private void release() {
        watches.forEach(LegacyLoop.Watch::drop); // dropping twice is harmless
        disarmTimer();
        loop.removeStopListener(hostStopping);
        released.complete(null);
    }

    // The SPI speaks SelectionKey ops, LegacyLoop speaks READ and WRITE. The core keeps only the
    // operations it asked for, so a READ may stand for both reading and accepting.
    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT, WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private static int loopEvents(int ops) {
        return ((ops & READ_OPS) != 0 ? LegacyLoop.READ : 0) | ((ops & WRITE_OPS) != 0 ? LegacyLoop.WRITE : 0);
    }

    private static int spiOps(int loopEvents) {
        return ((loopEvents & LegacyLoop.READ) != 0 ? READ_OPS : 0) | ((loopEvents & LegacyLoop.WRITE) != 0 ? WRITE_OPS : 0);
    }
}
