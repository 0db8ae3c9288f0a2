package io.guestloop.netty;

import io.netty.channel.unix.FileDescriptor;

import java.nio.channels.SelectableChannel;

/**
 * A channel of {@link NativeChannels}: a {@code java.nio} channel over one of Netty's non-blocking
 * native descriptors, which an epoll or io_uring loop can watch.
 *
 * <p><b>Threading:</b> {@link #fd()} any thread; {@link #onClose} on the thread that watches the
 * channel.
 */
interface NativeChannel {

    /** The descriptor the loop watches. */
    FileDescriptor fd();

    /**
     * Runs {@code hook} when the channel is closed, before its descriptor is: a closed descriptor's
     * number may be reused at once, so the watch on it must go first (as closing a JDK channel
     * cancels its keys). Replaces the earlier hook; null removes it.
     */
    void onClose(Runnable hook);

    /** {@code channel} as a native channel, or a refusal that says what to do instead. */
    static NativeChannel of(SelectableChannel channel, String loopPhrase) {
        if (channel instanceof NativeChannel) {
            return (NativeChannel) channel;
        }
        throw new IllegalArgumentException(loopPhrase + " watches file descriptors, and " + channel + " (a "
                + channel.getClass().getName() + " of " + channel.provider().getClass().getName() + ") keeps its descriptor "
                + "behind internal JDK API. Open the channel with the context's channelProvider() (LoopOps.channelProvider() "
                + "for a shim) instead, or use listen/connect, which do.");
    }
}
