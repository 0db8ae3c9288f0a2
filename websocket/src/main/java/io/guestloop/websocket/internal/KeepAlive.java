package io.guestloop.websocket.internal;

import io.guestloop.ServiceThread;
import io.guestloop.Timer;
import io.guestloop.websocket.WebSocketConfig;

import java.time.Duration;

/**
 * The idle timeout and keep-alive pings of one session, served by one guest timer armed for
 * whichever is due first; nothing is armed when both are off.
 *
 * <p><b>Threading:</b> not thread-safe; one per session, used on its service thread.
 */
final class KeepAlive {

    /** What the session does when a deadline is reached. */
    interface Actions {
        /** Nothing was read for a whole ping interval: send a ping. */
        void sendPing();

        /** Nothing was read for the idle timeout: close. */
        void idleTimedOut();

        /** True while the application paused reading: a socket it holds back is not idle. */
        boolean readingPaused();
    }

    private final ServiceThread thread;
    private final long idleNanos;
    private final long pingNanos;
    private final Actions actions;
    private long lastReadNanos;
    private long lastPingNanos;
    private Timer timer;
    private boolean stopped;

    KeepAlive(ServiceThread thread, WebSocketConfig config, Actions actions) {
        this.thread = thread;
        this.idleNanos = config.idleTimeout().toNanos();
        this.pingNanos = config.pingInterval().toNanos();
        this.actions = actions;
    }

    /** Starts counting from now. */
    void start() {
        lastReadNanos = lastPingNanos = System.nanoTime();
        arm();
    }

    /** Bytes arrived: the peer is alive. Cheap: the timer is re-armed only when it fires. */
    void onRead() {
        lastReadNanos = System.nanoTime();
    }

    /** No more pings or idle checks (closing or closed). Idempotent. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm() {
        if ((idleNanos == 0 && pingNanos == 0) || stopped) {
            return;
        }
        long due = Long.MAX_VALUE;
        if (idleNanos > 0) {
            due = lastReadNanos + idleNanos;
        }
        if (pingNanos > 0) {
            due = Math.min(due, Math.max(lastReadNanos, lastPingNanos) + pingNanos);
        }
        timer = thread.schedule(Duration.ofNanos(Math.max(0, due - System.nanoTime())), this::due);
    }

    private void due() {
        timer = null;
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        if (actions.readingPaused()) {
            lastReadNanos = now;
        }
        if (idleNanos > 0 && now - lastReadNanos >= idleNanos) {
            actions.idleTimedOut();
            return;
        }
        if (pingNanos > 0 && now - Math.max(lastReadNanos, lastPingNanos) >= pingNanos) {
            actions.sendPing();
            lastPingNanos = now;
        }
        arm();
    }
}
