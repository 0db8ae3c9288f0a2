package io.guestloop.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reports guest callbacks that hold a loop thread too long: one daemon thread for the whole JVM,
 * sampling every monitored loop four times per threshold while any loop is active, and parked with no
 * timeout (0% CPU) once every loop is idle; the next callback wakes it.
 *
 * <p><b>Threading:</b> {@link #add} and {@link #remove} from any thread; {@link #isParked()} and
 * {@link #wake()} from loop threads.
 */
final class Watchdog implements Runnable {

    static final Watchdog INSTANCE = new Watchdog();

    private static final System.Logger LOG = System.getLogger("io.guestloop.watchdog");

    // The api module only "requires static jdk.jfr": BlockedLoopEvent may be loaded only where the
    // module is there to read (a jlink image may leave it out; the module path resolves it on demand).
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr")
            .map(Watchdog.class.getModule()::canRead).orElse(false);

    private final CopyOnWriteArrayList<LoopMonitor> monitors = new CopyOnWriteArrayList<>();
    private volatile boolean parked;
    private Thread thread;

    private Watchdog() {
    }

    /** A monitor for one loop thread, registered until {@link #remove}. */
    LoopMonitor add(long thresholdNanos, String backend) {
        LoopMonitor m = new LoopMonitor(this, thresholdNanos, backend);
        monitors.add(m);
        startOnce();
        return m;
    }

    void remove(LoopMonitor monitor) {
        monitors.remove(monitor);
    }

    boolean isParked() {
        return parked;
    }

    void wake() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        LockSupport.unpark(t);
    }

    private synchronized void startOnce() {
        if (thread == null) {
            thread = new Thread(this, "guestloop-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void run() {
        while (true) {
            long interval = Long.MAX_VALUE;
            boolean active = false;
            long now = System.nanoTime();
            for (LoopMonitor m : monitors) {
                active |= m.check(now);
                interval = Math.min(interval, Math.max(TimeUnit.MILLISECONDS.toNanos(1), m.thresholdNanos / 4));
            }
            if (active) {
                LockSupport.parkNanos(this, interval);
                continue;
            }
            parked = true; // volatile write, then re-read the marks: pairs with LoopMonitor.enter
            boolean woke = false;
            now = System.nanoTime();
            for (LoopMonitor m : monitors) {
                woke |= m.check(now);
            }
            if (!woke) {
                LockSupport.park(this);
            }
            parked = false;
        }
    }

    void report(LoopMonitor monitor, Thread loopThread, long blockedNanos) {
        String stack = stackOf(loopThread);
        String name = loopThread == null ? "?" : loopThread.getName();
        LOG.log(System.Logger.Level.WARNING, () -> "guest callback has held loop thread '" + name + "' (backend "
                + monitor.backend + ") for " + TimeUnit.NANOSECONDS.toMillis(blockedNanos) + " ms, over the "
                + TimeUnit.NANOSECONDS.toMillis(monitor.thresholdNanos) + " ms threshold. Never block a loop thread; "
                + "move blocking work to another thread and come back through GuestContext.cancelService().\n" + stack);
        if (JFR) {
            BlockedLoopEvent.emit(loopThread, blockedNanos, monitor.thresholdNanos, monitor.backend, stack);
        }
    }

    private static String stackOf(Thread t) {
        if (t == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\tat ").append(e).append('\n');
        }
        return sb.toString();
    }
}
