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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shim that lets a guest run on a {@link LegacyLoop}: the whole backend SPI mapped onto the
 * loop's own API, and nothing else. A {@code LegacyLoop} has one thread, so this class is both the
 * backend ({@link LoopOps}) and its only service thread ({@link LoopThread}).
 *
 * <p>The loop is borrowed, never owned: {@link #close()} drops this guest's watches and alarm and
 * leaves the loop running its own work. When the loop's owner stops it, the guest is told through
 * {@link ThreadEvents#onHostLoopClosing()}.
 *
 * <p><b>Threading:</b> {@link #wakeup()}, {@link #inLoop()}, {@link #threadName()},
 * {@link #threads()}, {@link #start} and {@link #close()} may be called from any thread. Every other
 * method runs on the loop's thread, as the SPI promises, and every callback is delivered there.
 */
public final class LegacyLoopOps implements LoopOps, LoopThread {

    private static final System.Logger LOG = System.getLogger(LegacyLoopOps.class.getName());

    private final LegacyLoop loop;
    private final Runnable hostStopping = this::onHostStopping;
    private final AtomicBoolean wakeupPosted = new AtomicBoolean();
    private final CompletableFuture<Void> released = new CompletableFuture<>();
    private volatile ThreadEvents events;
    private volatile boolean closed;
    // Loop thread only:
    private final Set<WatchedChannel> registrations = new LinkedHashSet<>();
    private LegacyLoop.Alarm timer;

    /** A shim on {@code loop}, which may or may not be running yet. Any thread. */
    public LegacyLoopOps(LegacyLoop loop) {
        this.loop = loop;
    }

    // ---- LoopOps -------------------------------------------------------------------------------

    @Override
    public List<? extends LoopThread> threads() {
        return List.of(this);
    }

    @Override
    public CompletionStage<Void> close() {
        if (!closed) {
            closed = true; // from now on nothing is delivered, whatever thread we are on
            if (events == null) {
                release(); // never started: nothing of ours is on the loop
            } else {
                // A task even on the loop thread: the stage must not complete while the callback that
                // called close() still runs. Should the loop stop first, its stop listener releases.
                loop.execute(this::release);
            }
        }
        return released;
    }

    // ---- LoopThread ----------------------------------------------------------------------------

    @Override
    public boolean inLoop() {
        return loop.isLoopThread();
    }

    @Override
    public String threadName() {
        return loop.thread() != null ? loop.thread().getName() : "LegacyLoop (not running yet)";
    }

    @Override
    public void start(ThreadEvents events) {
        this.events = events;
        loop.addStopListener(hostStopping);
    }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
        checkOps(channel, interestOps);
        WatchedChannel registration = new WatchedChannel(channel, interestOps, listener);
        registrations.add(registration);
        return registration;
    }

    @Override
    public void armTimer(long deadlineNanos) {
        disarmTimer(); // one timer per thread: a new arming replaces the old
        timer = loop.alarmAt(deadlineNanos, this::onAlarm);
    }

    @Override
    public void disarmTimer() {
        if (timer != null) {
            timer.cancel(); // LegacyLoop promises a cancelled alarm never runs, even when due this turn
            timer = null;
        }
    }

    @Override
    public void wakeup() {
        // Coalesce: one task on the loop's queue at a time, however many threads call this.
        if (!closed && wakeupPosted.compareAndSet(false, true)) {
            loop.execute(this::onWakeupTask);
        }
    }

    // ---- what the loop calls back --------------------------------------------------------------

    private void onWakeupTask() {
        wakeupPosted.set(false); // before onWakeup: a wakeup() made during it posts another task
        deliver("onWakeup", events::onWakeup);
    }

    private void onAlarm() {
        timer = null;
        deliver("onTimer", events::onTimer);
    }

    /** The loop's stop listener: the host is going away under the guest. */
    private void onHostStopping() {
        deliver("onHostLoopClosing", events::onHostLoopClosing); // the guest closes itself from here
        release();
    }

    private void deliver(String what, Runnable callback) {
        if (closed) {
            return;
        }
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "guest callback " + what + " threw; the loop goes on", e);
        }
    }

    /** Stops delivering and drops everything the guest left on the loop. Loop thread (or before it ever ran). */
    private void release() {
        closed = true;
        List.copyOf(registrations).forEach(WatchedChannel::cancel);
        disarmTimer();
        loop.removeStopListener(hostStopping);
        released.complete(null);
    }

    // ---- interest sets: the SPI speaks SelectionKey ops, LegacyLoop speaks READ and WRITE -------

    private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private static int loopEvents(int interestOps) {
        return ((interestOps & READ_OPS) != 0 ? LegacyLoop.READ : 0) | ((interestOps & WRITE_OPS) != 0 ? LegacyLoop.WRITE : 0);
    }

    /** The ready events back in SPI terms: only operations the guest still asks for. */
    private static int readyOps(int loopEvents, int interestOps) {
        return ((loopEvents & LegacyLoop.READ) != 0 ? interestOps & READ_OPS : 0)
                | ((loopEvents & LegacyLoop.WRITE) != 0 ? interestOps & WRITE_OPS : 0);
    }

    private static void checkOps(SelectableChannel channel, int ops) {
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("interest ops " + ops + " include operations a " + channel.getClass().getSimpleName()
                    + " cannot do; ask for a subset of its validOps(), " + channel.validOps());
        }
    }

    /** One channel the guest watches: a {@link LegacyLoop.Watch} seen as a {@link Registration}. */
    private final class WatchedChannel implements Registration {
        private final ReadyListener listener;
        private final LegacyLoop.Watch watch;
        private int interestOps;

        WatchedChannel(SelectableChannel channel, int interestOps, ReadyListener listener) throws IOException {
            this.listener = listener;
            this.interestOps = interestOps;
            this.watch = loop.watch(channel, loopEvents(interestOps), this::onLoopEvents);
        }

        // LegacyLoop never calls a dropped watch back, not even later in the turn that dropped it:
        // that is what makes cancel() hold here without a flag of our own.
        private void onLoopEvents(LegacyLoop.Watch w, int loopEvents) {
            int ready = readyOps(loopEvents, interestOps); // the guest may have narrowed its interest this turn
            if (ready != 0) {
                deliver("onReady", () -> listener.onReady(this, ready));
            }
        }

        @Override
        public SelectableChannel channel() {
            return watch.channel();
        }

        @Override
        public int interestOps() {
            return interestOps;
        }

        @Override
        public void interestOps(int ops) {
            if (!watch.isActive()) {
                throw new IllegalStateException("this registration was cancelled; register the channel again instead");
            }
            checkOps(watch.channel(), ops);
            interestOps = ops;
            watch.change(loopEvents(ops));
        }

        @Override
        public void cancel() {
            watch.drop();
            registrations.remove(this);
        }

        @Override
        public boolean isValid() {
            return watch.isActive();
        }
    }
}
