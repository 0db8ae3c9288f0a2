/**
 * The Netty backend: a guest borrows the NIO, epoll or io_uring event loops of an application's
 * Netty 4.2 {@code EventLoopGroup} (or one {@code EventLoop}). Guest channels are watched by the
 * loops' own {@code IoHandler}s (a selector, an epoll set, a ring: see {@code LoopKind}), guest
 * timers and wake-ups are tasks on the loops' schedulers, so guest code and the host's channel
 * handlers run on the same threads, one after another. On epoll and io_uring loops the guest's
 * channels are {@code java.nio} channels over Netty's native sockets ({@code NativeChannels}).
 *
 * <p>Select it by passing the group to {@code GuestContext.builder().hostLoop(group)}; the
 * {@link io.guestloop.netty.NettyLoopOpsProvider} is found through {@link java.util.ServiceLoader}.
 *
 * <p><b>For backends built on Netty loops</b> that another framework owns (guestloop's vertx backend
 * is one): make one {@link io.guestloop.netty.NettyLoopThread} per loop with a
 * {@link io.guestloop.netty.HostGate} that says how a guest callback enters the host and how the host
 * announces it is leaving, and return them as a {@link io.guestloop.netty.NettyLoopOps}. The loop
 * must be a Netty 4.2 NIO, epoll or io_uring {@code IoEventLoop}; the thread rules are the SPI's: {@code wakeup}, start
 * and close from any thread, everything else, and every callback, on the loop thread.
 *
 * <p><b>Threading:</b> see each type; as everywhere in guestloop, {@code wakeup} is the one entry
 * meant for any thread.
 */
package io.guestloop.netty;
