package io.guestloop.internal;

import io.guestloop.spi.ReadyListener;
import io.guestloop.spi.Registration;

import java.nio.channels.SelectableChannel;

/**
 * A backend's {@link Registration} with the promises the core keeps around it: interest sets are
 * checked once here, readiness is reported only for operations still asked for, and nothing is
 * reported after {@link #cancel()} or after the thread closed, not even readiness the loop
 * collected earlier in the same turn.
 *
 * <p><b>Threading:</b> loop thread only; {@link #interestOps(int)} and {@link #cancel()} check it.
 */
public final class GuardedRegistration implements Registration, ReadyListener {

    private final GuardedLoopThread thread;
    private final SelectableChannel channel;
    private final ReadyListener listener;
    private Registration backend;
    private int interest;
    private boolean cancelled;

    GuardedRegistration(GuardedLoopThread thread, SelectableChannel channel, int interest, ReadyListener listener) {
        this.thread = thread;
        this.channel = channel;
        this.interest = interest;
        this.listener = listener;
    }

    void bind(Registration backendRegistration) {
        this.backend = backendRegistration;
    }

    /** The channel watched. */
    public SelectableChannel channel() {
        return channel;
    }

    /** The interest set last asked for. */
    public int interestOps() {
        return interest;
    }

    /**
     * Replaces the interest set.
     *
     * @throws IllegalArgumentException when {@code ops} is not a subset of the channel's valid ops
     * @throws IllegalStateException    after {@link #cancel()}, or off the loop thread
     */
    @Override
    public void interestOps(int ops) {
        thread.checkLoop("Registration.interestOps");
        if (cancelled) {
            throw new IllegalStateException("interestOps(" + ops + ") on a cancelled registration of " + channel
                    + "; register the channel again to watch it");
        }
        InterestOps.check(channel, ops);
        if (ops != interest) {
            interest = ops;
            if (!thread.isClosed()) {
                backend.interestOps(ops);
            }
        }
    }

    /** Stops watching; nothing is reported afterwards. Idempotent. */
    @Override
    public void cancel() {
        thread.checkLoop("Registration.cancel");
        if (!cancelled) {
            cancelled = true;
            backend.cancel();
        }
    }

    /** False once cancelled or once the thread closed. */
    public boolean isValid() {
        return !cancelled && !thread.isClosed();
    }

    /** From the backend: filters, then tells the listener inside the thread's callback frame. */
    @Override
    public void onReady(int readyOps) {
        int ops = readyOps & interest;
        if (cancelled || ops == 0 || thread.isClosed()) {
            return;
        }
        thread.enter();
        try {
            listener.onReady(ops);
        } catch (Throwable t) {
            thread.callbackFailed("onReady for " + channel, t);
        } finally {
            thread.exit();
        }
    }

    @Override
    public String toString() {
        return "Registration[" + channel + ", interest 0x" + Integer.toHexString(interest) + (cancelled ? ", cancelled]" : "]");
    }
}
