package io.guestloop.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoEvent;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoOps;

import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * A guest channel in a NIO loop's own {@code Selector}: Netty 4.2's {@code NioIoHandler} takes a
 * foreign {@code SelectableChannel} as a {@link NioIoHandle}. Readiness is the selector's,
 * level-triggered, in {@code SelectionKey} bits already.
 *
 * <p><b>Threading:</b> loop thread only.
 */
final class NioWatch extends Watch implements NioIoHandle {

    private final SelectableChannel channel;

    NioWatch(NettyRegistration owner, SelectableChannel channel) {
        super(owner);
        this.channel = channel;
    }

    @Override
    public SelectableChannel selectableChannel() {
        return channel;
    }

    @Override
    void interest(int ops) {
        // Submitting to an invalid key (the guest closed the channel) is a no-op in Netty.
        io.submit(NioIoOps.valueOf(ops));
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        owner.ready(((NioIoEvent) event).ops().value());
    }

    /** The selector drops a cancelled key (and closes a channel closed meanwhile) at its next selection. */
    @Override
    boolean letGo() {
        Object key = io.attachment();
        if (!(key instanceof SelectionKey)) {
            return true;
        }
        try {
            return !((SelectionKey) key).selector().keys().contains(key);
        } catch (ClosedSelectorException e) {
            return true;
        }
    }
}
