package io.guestloop.modulepath;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.ResourceBundle;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM's {@link System.LoggerFinder}: every message of level INFO and above goes to stderr
 * as {@code LEVEL logger: message}, and each WARNING of the guest's watchdog
 * ({@code io.guestloop.watchdog}) is one report that {@link #await} hands out, so that the program
 * waits for the watchdog instead of sleeping.
 *
 * <p><b>Threading:</b> any thread.
 */
public final class WatchdogReports extends System.LoggerFinder {

    private static final String WATCHDOG = "io.guestloop.watchdog";
    private static final Semaphore REPORTS = new Semaphore(0);

    /** Called by {@link java.util.ServiceLoader}. */
    public WatchdogReports() {
    }

    /** Forgets the reports made so far. */
    static void forgetEarlier() {
        REPORTS.drainPermits();
    }

    /** Takes one watchdog report, waiting at most {@code bound}; false when none came. */
    static boolean await(Duration bound) throws InterruptedException {
        return REPORTS.tryAcquire(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new ConsoleLogger(name);
    }

    private record ConsoleLogger(String name) implements System.Logger {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (!isLoggable(level)) {
                return;
            }
            System.err.println(level + " " + name + ": " + message + (thrown == null ? "" : " " + thrown));
            if (name.equals(WATCHDOG) && level == Level.WARNING) {
                REPORTS.release();
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params),
                    (Throwable) null);
        }
    }
}
