package io.guestloop.demo;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Assumptions;

/**
 * For the demo tests on a native transport: a transport that cannot run here fails the test with
 * its cause when {@code CI=true}, and skips it, saying why, elsewhere.
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class NativeTransports {

    private NativeTransports() {
    }

    /** Returns when {@code transport} ({@code nio}, {@code epoll}, {@code io_uring}) can run here. */
    static void require(String transport) {
        boolean available;
        Throwable cause;
        switch (transport) {
            case "epoll" -> {
                available = Epoll.isAvailable();
                cause = Epoll.unavailabilityCause();
            }
            case "io_uring" -> {
                available = IoUring.isAvailable();
                cause = IoUring.unavailabilityCause();
            }
            default -> {
                return;
            }
        }
        if (available) {
            return;
        }
        String message = "Netty's native " + transport + " transport is not available here (" + cause + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + "; CI must run the demo on it", cause);
        }
        Assumptions.abort(message + "; skipped outside CI (with CI=true this fails)");
    }
}
