package io.guestloop.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;

import java.nio.channels.SelectableChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * An epoll loop ({@code EpollIoHandler}): a guest channel's descriptor goes into the loop's own
 * epoll set as an {@link EpollIoHandle}, level-triggered (never {@code EPOLLET} while something is
 * watched), so a descriptor that stays ready is reported on every turn.
 *
 * <p><b>Threading:</b> {@link #watch} and every method of its watch on the loop thread.
 */
final class EpollKind extends LoopKind {

    /** The four interest sets that matter, made once: submitting allocates nothing. */
    private static final EpollIoOps IN = EpollIoOps.EPOLLIN;
    private static final EpollIoOps OUT = EpollIoOps.EPOLLOUT;
    private static final EpollIoOps IN_OUT = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT);
    /**
     * Nothing of interest. epoll always reports errors and hang-ups, so a level-triggered empty set
     * would report a dead socket on every turn; edge-triggered, it reports it at most once (and the
     * core ignores what it did not ask for). Asking for IN or OUT again re-checks the descriptor.
     */
    private static final EpollIoOps NOTHING = EpollIoOps.EPOLLET;

    EpollKind() {
        Epoll.ensureAvailability();
    }

    @Override
    String phrase() {
        return "an epoll loop";
    }

    @Override
    SelectorProvider channels() {
        return NativeChannels.INSTANCE;
    }

    @Override
    Watch watch(NettyRegistration owner, SelectableChannel channel) {
        return new EpollWatch(owner, NativeChannel.of(channel, "An epoll loop"));
    }

    private static EpollIoOps opsFor(int interest) {
        int mask = PollEvents.mask(interest);
        return mask == (PollEvents.IN | PollEvents.OUT) ? IN_OUT : mask == PollEvents.IN ? IN : mask == PollEvents.OUT ? OUT : NOTHING;
    }

    /** One descriptor in the epoll set. */
    private static final class EpollWatch extends Watch implements EpollIoHandle {

        private final NativeChannel channel;
        private int interest;

        EpollWatch(NettyRegistration owner, NativeChannel channel) {
            super(owner);
            this.channel = channel;
        }

        @Override
        void bind(IoRegistration registration) {
            super.bind(registration);
            // Out of the epoll set before the descriptor closes, even when the channel is closed first.
            channel.onClose(owner::channelClosing);
        }

        @Override
        public FileDescriptor fd() {
            return channel.fd();
        }

        @Override
        void interest(int ops) {
            interest = ops;
            io.submit(opsFor(ops));
        }

        @Override
        void cancel() {
            channel.onClose(null);
            io.cancel();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            owner.ready(PollEvents.readyOps(((EpollIoEvent) event).ops().value(), interest));
        }

        /** The handler removes a cancelled descriptor from the epoll set at once, on the loop thread. */
        @Override
        boolean letGo() {
            return true;
        }
    }
}
