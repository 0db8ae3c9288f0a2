package io.guestloop.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/**
 * The local and remote addresses of a connection's channel, null where the channel has none or
 * cannot tell (closed).
 *
 * <p><b>Threading:</b> stateless; any thread.
 */
final class ChannelAddresses {

    private ChannelAddresses() {
    }

    static SocketAddress local(SelectableChannel channel) {
        try {
            return channel instanceof NetworkChannel n ? n.getLocalAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static SocketAddress remote(SelectableChannel channel) {
        try {
            if (channel instanceof SocketChannel s) {
                return s.getRemoteAddress();
            }
            if (channel instanceof DatagramChannel d) {
                return d.getRemoteAddress();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
