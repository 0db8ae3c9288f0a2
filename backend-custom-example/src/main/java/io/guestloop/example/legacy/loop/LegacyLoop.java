package io.guestloop.example.legacy.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small single-threaded event loop of the poll kind, the sort an application grew for itself
 * long before it met any library: watch channels for {@link #READ}/{@link #WRITE} with a callback,
 * one-shot {@linkplain #alarmAt alarms} by deadline, tasks {@linkplain #execute posted} from other
 * threads through a wake-up pipe, and {@link #run()} / {@link #stop()}.
 *
 * <p>It knows nothing of any library built on top of it; that is the point of it.
 *
 * <p><b>Threading:</b> {@link #execute}, {@link #stop()}, {@link #isLoopThread()},
 * {@link #thread()}, {@link #addStopListener} and {@link #removeStopListener} may be called from any
 * thread. Every other method, and every method of {@link Watch} and {@link Alarm}, must be called on
 * the loop thread, or before {@link #run()} starts; anywhere else they throw
 * {@link IllegalStateException}. Every callback runs on the loop thread, one at a time.
 *
 * <pre>{@code
 * LegacyLoop loop = new LegacyLoop();
 * loop.watch(channel, LegacyLoop.READ, (watch, events) -> readSomething());
 * loop.alarmAt(System.nanoTime() + 1_000_000_000L, () -> System.out.println("a second passed"));
 * loop.run();                                   // until someone calls loop.stop()
 * }</pre>
 */
public final class LegacyLoop {

    /** The channel can be read (or, for a listening socket, has a connection to accept). */
    public static final int READ = 1;
    /** The channel can be written (or, for a socket being connected, has finished connecting). */
    public static final int WRITE = 2;

    private static final System.Logger LOG = System.getLogger(LegacyLoop.class.getName());

    /** Called on the loop thread when a watched channel is ready. */
    @FunctionalInterface
    public interface IoCallback {
        /**
         * @param watch  the watch that fired
         * @param events the ready subset of the watch's events ({@link #READ}, {@link #WRITE})
         */
        void ready(Watch watch, int events);
    }

    private final Selector selector;
    private final Pipe wakePipe;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Alarm> alarms =
            new PriorityQueue<>(Comparator.comparingLong((Alarm a) -> a.deadline).thenComparingLong(a -> a.sequence));
    private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
    /** True from a poke until the loop has drained the pipe: one byte wakes the loop, however many tasks come. */
    private final AtomicBoolean poked = new AtomicBoolean();
    // Loop thread only:
    private final ByteBuffer drain = ByteBuffer.allocate(64);
    /** This turn's ready keys, copied out of the selector's set into an array reused from turn to turn. */
    private SelectionKey[] ready = new SelectionKey[64];
    private long alarmSequence;
    private volatile Thread thread;
    private volatile boolean stopRequested;

    /**
     * Opens the loop's selector and wake-up pipe. The loop does nothing until {@link #run()}.
     *
     * @throws IOException when the operating system refuses a selector or a pipe
     */
    public LegacyLoop() throws IOException {
        selector = Selector.open();
        wakePipe = Pipe.open();
        wakePipe.sink().configureBlocking(false);
        wakePipe.source().configureBlocking(false);
        // The loop wakes itself the same way it watches anything else.
        watch(wakePipe.source(), READ, (watch, events) -> runPostedTasks());
    }

    /**
     * Watches {@code channel} for {@code events} and calls {@code callback} on the loop thread while
     * it is ready for any of them (every turn, as long as it stays ready).
     *
     * @param channel  a non-blocking channel this loop does not watch yet
     * @param events   {@link #READ}, {@link #WRITE}, both, or 0 to watch nothing for now
     * @throws IOException           when the channel is closed
     * @throws IllegalStateException when this loop already watches the channel
     */
    public Watch watch(SelectableChannel channel, int events, IoCallback callback) throws IOException {
        checkThread("watch");
        SelectionKey existing = channel.keyFor(selector);
        if (existing != null && existing.isValid()) {
            throw new IllegalStateException("this loop already watches " + channel + "; change or drop that watch instead");
        }
        if (existing != null) {
            // A dropped watch leaves its key with the selector until the next select: flush it now.
            // Readiness this collects is thrown away; whatever is still ready shows up again next turn.
            selector.selectNow();
            selector.selectedKeys().clear();
        }
        Watch watch = new Watch(callback);
        watch.key = channel.register(selector, selectorOps(channel, events), watch);
        watch.events = events;
        return watch;
    }

    /**
     * Runs {@code task} once on the loop thread, not before {@code deadlineNanos} (a
     * {@link System#nanoTime()} value); a deadline already past runs on the next turn.
     */
    public Alarm alarmAt(long deadlineNanos, Runnable task) {
        checkThread("alarmAt");
        Alarm alarm = new Alarm(deadlineNanos, alarmSequence++, task);
        alarms.add(alarm);
        return alarm;
    }

    /**
     * Runs {@code task} on the loop thread soon, in the order posted. Any thread; never blocks.
     * Tasks posted before {@link #run()} wait for it; tasks posted once the loop has stopped are
     * dropped.
     */
    public void execute(Runnable task) {
        tasks.add(task);
        poke();
    }

    /**
     * Adds {@code listener}, run on the loop thread when the loop stops, after its last turn and
     * while every watch is still in place. Any thread.
     */
    public void addStopListener(Runnable listener) {
        stopListeners.add(listener);
    }

    /** Removes a listener added with {@link #addStopListener}. Any thread. */
    public void removeStopListener(Runnable listener) {
        stopListeners.remove(listener);
    }

    /** True when the caller is the thread running this loop. Any thread. */
    public boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** The thread running this loop, or {@code null} before {@link #run()}. Any thread. */
    public Thread thread() {
        return thread;
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()}, then runs the stop listeners and
     * closes the selector and the wake-up pipe (not the channels it watched: they are the caller's).
     *
     * @throws IllegalStateException when the loop runs or ran already
     * @throws UncheckedIOException  when the selector fails
     */
    public void run() {
        synchronized (this) {
            if (thread != null) {
                throw new IllegalStateException("run() was already called, on thread " + thread.getName());
            }
            thread = Thread.currentThread();
        }
        try {
            while (!stopRequested) {
                turn();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the loop's selector failed", e);
        } finally {
            shutDown();
        }
    }

    /** Asks the loop to stop after its current turn. Any thread; never blocks; idempotent. */
    public void stop() {
        stopRequested = true;
        poke();
    }

    private void turn() throws IOException {
        Alarm next = alarms.peek();
        if (next == null) {
            selector.select();
        } else {
            long waitNanos = next.deadline - System.nanoTime();
            if (waitNanos <= 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000)); // round up: never early
            }
        }
        // A snapshot, so that callbacks may drop and re-watch channels while we walk it; into an
        // array kept from turn to turn, since a busy loop with many channels turns thousands of times a second.
        Set<SelectionKey> selected = selector.selectedKeys();
        int count = selected.size();
        if (ready.length < count) {
            ready = new SelectionKey[Math.max(count, 2 * ready.length)];
        }
        SelectionKey[] keys = selected.toArray(ready);
        selected.clear();
        for (int i = 0; i < count; i++) {
            SelectionKey key = keys[i];
            keys[i] = null;
            // A callback earlier in this turn may have dropped or changed this watch.
            if (!key.isValid()) {
                continue;
            }
            int events = loopEvents(key.readyOps() & key.interestOps());
            if (events != 0) {
                deliver((Watch) key.attachment(), events);
            }
        }
        long now = System.nanoTime();
        for (Alarm alarm = alarms.peek(); alarm != null && alarm.deadline - now <= 0; alarm = alarms.peek()) {
            alarms.poll();
            call(alarm.task);
        }
    }

    private void runPostedTasks() {
        try {
            drain.clear();
            while (wakePipe.source().read(drain) > 0) {
                drain.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the wake-up pipe failed", e);
        }
        // After the drain: a task added from here on pokes again; one added before is polled below.
        poked.set(false);
        // Until the queue is empty, tasks posted meanwhile included, as many loops of this kind do: a
        // task that keeps posting another keeps this turn going (which is why the guest core, not the
        // loop, has to keep wake-ups fair).
        for (Runnable task; (task = tasks.poll()) != null; ) {
            call(task);
        }
    }

    private void poke() {
        if (poked.get() || !poked.compareAndSet(false, true)) {
            return; // a byte is in the pipe already, and the loop drains it before it looks at the tasks
        }
        try {
            // A full pipe (write returns 0) already has bytes waiting to wake the loop.
            wakePipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        } catch (ClosedChannelException e) {
            // The loop has stopped: there is nobody left to wake.
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the wake-up pipe", e);
        }
    }

    private void shutDown() {
        for (Runnable listener : stopListeners) {
            call(listener);
        }
        try {
            selector.close();
            wakePipe.sink().close();
            wakePipe.source().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the loop's selector or pipe failed", e);
        }
    }

    /** Calls a watch's callback; what it throws is logged, as {@link #call} does. */
    private static void deliver(Watch watch, int events) {
        try {
            watch.callback.ready(watch, events);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "a loop callback threw; the loop goes on", e);
        }
    }

    private static void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "a loop callback threw; the loop goes on", e);
        }
    }

    private void checkThread(String method) {
        Thread owner = thread;
        if (owner != null && owner != Thread.currentThread()) {
            throw new IllegalStateException("LegacyLoop." + method + " must be called on the loop thread '"
                    + owner.getName() + "', not on '" + Thread.currentThread().getName() + "'; use execute() to get there");
        }
    }

    // READ/WRITE in terms of the selector: a listening socket reads by accepting, a socket still
    // connecting "writes" by finishing its connect (asking for OP_CONNECT after that would spin).
    private static int selectorOps(SelectableChannel channel, int events) {
        int ops = 0;
        if ((events & READ) != 0) {
            ops |= channel.validOps() & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((events & WRITE) != 0) {
            boolean connecting = channel instanceof SocketChannel socket && socket.isConnectionPending();
            ops |= channel.validOps() & (connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE);
        }
        return ops;
    }

    private static int loopEvents(int selectorOps) {
        int events = 0;
        if ((selectorOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= READ;
        }
        if ((selectorOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= WRITE;
        }
        return events;
    }

    /**
     * One channel being watched. <b>Threading:</b> loop thread only.
     */
    public final class Watch {
        private final IoCallback callback;
        private SelectionKey key;
        private int events;

        private Watch(IoCallback callback) {
            this.callback = callback;
        }

        /** The channel being watched. */
        public SelectableChannel channel() {
            return key.channel();
        }

        /** The events being watched for. */
        public int events() {
            return events;
        }

        /**
         * Watches for {@code events} from the next turn on.
         *
         * @throws IllegalStateException after {@link #drop()}
         */
        public void change(int events) {
            checkThread("Watch.change");
            if (!key.isValid()) {
                throw new IllegalStateException("this watch was dropped; watch the channel again instead");
            }
            // Always recomputed: a socket that finished connecting now wants OP_WRITE, not OP_CONNECT.
            key.interestOps(selectorOps(key.channel(), events));
            this.events = events;
        }

        /** Stops watching; the callback is not called again, even later in this turn. Idempotent. */
        public void drop() {
            checkThread("Watch.drop");
            key.cancel();
        }

        /** False once dropped (or the loop stopped). */
        public boolean isActive() {
            return key.isValid();
        }
    }

    /**
     * A one-shot alarm made by {@link #alarmAt}. <b>Threading:</b> loop thread only.
     */
    public final class Alarm {
        private final long deadline;
        private final long sequence;
        private final Runnable task;

        private Alarm(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        /** The deadline, a {@link System#nanoTime()} value. */
        public long deadline() {
            return deadline;
        }

        /** Makes sure the alarm's task never runs, even if it is due this turn. Idempotent. */
        public void cancel() {
            checkThread("Alarm.cancel");
            alarms.remove(this);
        }
    }
}
