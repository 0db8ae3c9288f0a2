/**
 * The {@code executor} backend: a guest runs on a host that has one thread but cannot wait on
 * sockets, a {@link io.guestloop.executor.SerialHost} (the Swing event dispatch thread, the JavaFX
 * application thread, a single-thread executor). One watcher thread per context waits in a
 * {@link java.nio.channels.Selector} and never runs guest code; it hands readiness, timer expiry and
 * wake-ups to the host thread, at most one hand-off pending at a time, and a channel whose readiness
 * waits on the host thread is not watched until it was delivered. Every guest callback runs on the
 * host thread, so guest code and the host's own code (a Swing listener, say) share state without
 * locks.
 *
 * <p>Select it by passing a {@code SerialHost} to {@code GuestContext.builder().hostLoop(...)};
 * {@link io.guestloop.executor.ExecutorLoopOpsProvider} is found through
 * {@link java.util.ServiceLoader}.
 *
 * <p><b>Threading:</b> see each type; as everywhere in guestloop, {@code cancelService()} is the one
 * entry into the guest meant for any thread.
 */
package io.guestloop.executor;
