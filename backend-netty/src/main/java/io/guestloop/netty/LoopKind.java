package io.guestloop.netty;

import io.netty.channel.IoEventLoop;
import io.netty.channel.nio.NioIoHandle;

import java.nio.channels.SelectableChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * What differs between the kinds of Netty loop a guest can share, and nothing else: which channels
 * the core opens, and how one of them is watched (the {@link Watch} the loop's {@code IoHandler}
 * takes). The timer, wake-ups, host shutdown and closing are the same on every loop and live in
 * {@link NettyLoopThread}.
 *
 * <ul>
 *   <li><b>NIO</b>: the JDK's channels, in the loop's own {@code Selector} ({@link NioWatch}).</li>
 *   <li><b>epoll</b>: {@link NativeChannels}' channels, whose file descriptors go into the loop's
 *       epoll set, level-triggered ({@code EpollWatch}).</li>
 *   <li><b>io_uring</b>: the same channels, watched by one-shot poll requests through the loop's
 *       ring, armed again once per turn while the interest lasts ({@code IoUringWatch}).</li>
 * </ul>
 *
 * <p>The native kinds are reached only through {@link NativeKinds}, and only for a loop that is not
 * NIO: their classes refer to Netty's native transport jars, which a NIO host need not have.
 *
 * <p><b>Threading:</b> {@link #of} and {@link #channels()} any thread; {@link #watch} on the loop
 * thread.
 */
abstract class LoopKind {

    /** NIO: the loop's selector watches the JDK's channels; one instance serves every loop. */
    static final LoopKind NIO = new LoopKind() {
        @Override
        String phrase() {
            return "a NIO loop";
        }

        @Override
        Watch watch(NettyRegistration owner, SelectableChannel channel) {
            return new NioWatch(owner, channel);
        }
    };

    /** A phrase naming the kind in messages: {@code "an epoll loop"}. */
    abstract String phrase();

    /** Makes the channels this kind of loop can watch. */
    SelectorProvider channels() {
        return SelectorProvider.provider();
    }

    /**
     * The handle that watches {@code channel} for {@code owner}, not yet registered with the loop.
     *
     * @throws IllegalArgumentException when this kind of loop cannot watch that channel
     */
    abstract Watch watch(NettyRegistration owner, SelectableChannel channel);

    /**
     * The kind of {@code loop}: each call for a native loop gives a new instance, for that loop only.
     *
     * @throws IllegalArgumentException when no kind can serve the loop (a local loop, say); the
     *                                  message names the loop's I/O type and what to use instead
     */
    static LoopKind of(IoEventLoop loop) {
        if (loop.isCompatible(NioIoHandle.class)) {
            return NIO;
        }
        LoopKind kind = NativeKinds.of(loop);
        if (kind != null) {
            return kind;
        }
        throw new IllegalArgumentException("The netty backend can share a NIO, epoll or io_uring loop, but the host loop is "
                + HostLoops.ioTypeOf(loop) + " (" + loop.getClass().getName() + "), whose IoHandler cannot watch a socket "
                + "of the guest. " + HostLoops.WHAT_TO_DO);
    }
}
