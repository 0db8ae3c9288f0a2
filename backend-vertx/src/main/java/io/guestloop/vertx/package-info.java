/**
 * The Vert.x backend: a guest runs on Vert.x 5 event-loop contexts. Guest channels are watched by
 * the NIO selector of the context's Netty event loop, guest timers and wake-ups are tasks on that
 * loop's scheduler (all of that is the netty backend's service thread, reused), and every guest
 * callback runs inside the context's own dispatch, so
 * {@code Vertx.currentContext()} is the host's context, the blocked-thread checker watches guest
 * code as it watches verticle code, and guest and verticle code call each other without locks.
 *
 * <p>Select it by passing a {@code Vertx} or a {@code Context} to
 * {@code GuestContext.builder().hostLoop(...)}; {@link io.guestloop.vertx.VertxLoopOpsProvider} is
 * found through {@link java.util.ServiceLoader}.
 *
 * <p><b>Threading:</b> see each type; as everywhere in guestloop, {@code wakeup} is the one entry
 * meant for any thread.
 */
package io.guestloop.vertx;
