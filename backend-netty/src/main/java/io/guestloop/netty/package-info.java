/**
 * The Netty backend: a guest borrows the NIO event loops of an application's Netty 4.2
 * {@code EventLoopGroup} (or one {@code EventLoop}). Guest channels are watched by the loops' own
 * selectors, guest timers use the loops' schedulers and wakeups their task queues, so guest code and
 * the host's channel handlers run on the same threads, one after another.
 *
 * <p>Select it by passing the group to {@code GuestContext.builder().hostLoop(group)}; the
 * {@link io.guestloop.netty.NettyLoopOpsProvider} is found through {@link java.util.ServiceLoader}.
 *
 * <p><b>Threading:</b> see each type; as everywhere in guestloop, {@code wakeup} is the one entry
 * meant for any thread.
 */
package io.guestloop.netty;
