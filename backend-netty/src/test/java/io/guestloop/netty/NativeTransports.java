package io.guestloop.netty;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether Netty's native transports can run here, for the tests that need them. A transport refused
 * at run time (no native library for this platform, io_uring disabled by the kernel) fails a test
 * with its cause when {@code CI=true}, so that CI never goes green by skipping them; elsewhere the
 * test is skipped with a message that says why.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
public final class NativeTransports {

    private NativeTransports() {
    }

    /** Returns when epoll can run; otherwise fails (CI) or skips the calling test. */
    public static void requireEpoll() {
        require("epoll", Epoll.isAvailable(), Epoll.unavailabilityCause());
    }

    /** Returns when io_uring can run; otherwise fails (CI) or skips the calling test. */
    public static void requireIoUring() {
        require("io_uring", IoUring.isAvailable(), IoUring.unavailabilityCause());
    }

    private static void require(String transport, boolean available, Throwable cause) {
        if (available) {
            return;
        }
        String message = "Netty's native " + transport + " transport is not available here (" + cause
                + "); the tests on " + transport + " loops cannot run";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ". CI must run them: install what the transport needs.", cause);
        }
        Assumptions.abort(message + " (skipped outside CI; with CI=true this fails)");
    }
}
