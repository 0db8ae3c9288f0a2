package io.guestloop.internal;

import io.guestloop.ConnectionHandler;
import io.guestloop.ErrorHandler;
import io.guestloop.Protocol;
import io.guestloop.tls.ServerTls;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@code GuestContext.Builder} collected: an immutable value the core starts from.
 *
 * @param hostLoop          the host loop, or null
 * @param backend           the backend forced by name (builder or system property), or null
 * @param serviceThreads    0 for the backend default
 * @param runOnCaller       run the single loop on the caller of {@code GuestContext.run()}
 * @param protocols         started on every service thread
 * @param listens           listeners bound at build
 * @param errorHandler      null for the logging default
 * @param lowWaterMark      write queue low-water mark in bytes
 * @param highWaterMark     write queue high-water mark in bytes
 * @param readBufferSize    per-thread read buffer size in bytes
 * @param watchdogThreshold zero disables the watchdog
 */
public record ContextSpec(Object hostLoop, String backend, int serviceThreads, boolean runOnCaller,
                          List<Protocol> protocols, List<ListenSpec> listens, ErrorHandler errorHandler,
                          int lowWaterMark, int highWaterMark, int readBufferSize, Duration watchdogThreshold) {

    /**
     * One listener asked for at build time.
     *
     * @param address where to listen
     * @param tls     TLS for every connection it accepts, or null for plaintext
     * @param handler the handler of those connections
     */
    public record ListenSpec(SocketAddress address, ServerTls tls, ConnectionHandler handler) {
    }
}
