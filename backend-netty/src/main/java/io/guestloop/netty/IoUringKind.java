package io.guestloop.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * An io_uring loop ({@code IoUringIoHandler}): a guest channel is watched by one-shot
 * {@code IORING_OP_POLL_ADD} requests submitted through an {@link IoUringIoHandle}, at most one per
 * direction (in: read and accept; out: write and connect). A poll answers once; while the guest
 * still asks for that direction, the watch arms it again <i>on the next turn</i> (all re-arming of a
 * turn is one task on the loop), and a descriptor that stays ready answers that new poll at once: so
 * readiness is level-triggered, reported once per turn, and a ready descriptor cannot keep the ring
 * busy within one turn.
 *
 * <p>An interest dropped leaves its poll armed (its answer is then ignored): toggling write interest
 * costs no request. Cancelling removes every armed poll ({@code IORING_OP_ASYNC_CANCEL}) before the
 * registration; answers that still arrive are ignored, and the loop lets go of the watch once the
 * ring has answered every request.
 *
 * <p>One instance per loop thread (it holds that thread's re-arming).
 *
 * <p><b>Threading:</b> {@link #watch} and every method of its watches on the loop thread.
 */
final class IoUringKind extends LoopKind {

    // Linux ABI (include/uapi/linux/io_uring.h, errno.h); Netty keeps its copies package-private.
    private static final byte IORING_OP_POLL_ADD = 6;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final int ECANCELED = 125;
    private static final short IN = 0;
    private static final short OUT = 1;
    private static final short CANCEL = 2;
    private static final int IN_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int OUT_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private final IoEventLoop loop;
    private final List<IoUringWatch> toArm = new ArrayList<>();
    private final Runnable armAll = this::armAll;

    IoUringKind(IoEventLoop loop) {
        IoUring.ensureAvailability();
        this.loop = loop;
    }

    @Override
    String phrase() {
        return "an io_uring loop";
    }

    @Override
    SelectorProvider channels() {
        return NativeChannels.INSTANCE;
    }

    @Override
    Watch watch(NettyRegistration owner, SelectableChannel channel) {
        return new IoUringWatch(owner, NativeChannel.of(channel, "An io_uring loop"));
    }

    /** Arms {@code watch}'s polls on the next turn of the loop. */
    private void armNextTurn(IoUringWatch watch) {
        if (toArm.isEmpty()) {
            try {
                loop.execute(armAll);
            } catch (RejectedExecutionException e) {
                return; // the loop is going away, and the guest with it
            }
        }
        toArm.add(watch);
    }

    private void armAll() {
        // A watch armed here may ask again (for the next turn) only once this batch is done.
        IoUringWatch[] batch = toArm.toArray(new IoUringWatch[0]);
        toArm.clear();
        for (IoUringWatch w : batch) {
            w.arm();
        }
    }

    private static IoUringIoOps pollAdd(int fd, int mask, short direction) {
        return new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, fd, 0L, 0L, 0, mask, direction,
                (short) 0, (short) 0, 0, 0L);
    }

    private static IoUringIoOps cancelOf(long userData) {
        return new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, userData, 0, 0, CANCEL,
                (short) 0, (short) 0, 0, 0L);
    }

    /** One descriptor, watched by up to two armed polls. */
    private final class IoUringWatch extends Watch implements IoUringIoHandle {

        private final NativeChannel channel;
        /** The two polls this watch submits, made once: the descriptor and masks never change. */
        private final IoUringIoOps[] polls;
        /** The user data of the armed poll per direction, 0 when none is armed. */
        private final long[] armed = new long[2];
        private int interest;
        private boolean queued;
        private boolean cancelled;
        private boolean unregistered;

        IoUringWatch(NettyRegistration owner, NativeChannel channel) {
            super(owner);
            this.channel = channel;
            int fd = channel.fd().intValue();
            this.polls = new IoUringIoOps[] {pollAdd(fd, PollEvents.IN, IN), pollAdd(fd, PollEvents.OUT, OUT)};
        }

        @Override
        void bind(IoRegistration registration) {
            super.bind(registration);
            channel.onClose(owner::channelClosing);
        }

        @Override
        void interest(int ops) {
            interest = ops;
            if (needsArming()) {
                queue();
            }
        }

        private boolean wants(int direction) {
            int mask = PollEvents.mask(interest);
            return (mask & (direction == IN ? PollEvents.IN : PollEvents.OUT)) != 0;
        }

        private boolean needsArming() {
            return (wants(IN) && armed[IN] == 0) || (wants(OUT) && armed[OUT] == 0);
        }

        private void queue() {
            if (!queued && !cancelled) {
                queued = true;
                armNextTurn(this);
            }
        }

        /** From the turn's arming task. */
        void arm() {
            queued = false;
            if (cancelled) {
                return;
            }
            for (int d = IN; d <= OUT; d++) {
                if (wants(d) && armed[d] == 0) {
                    armed[d] = io.submit(polls[d]);
                }
            }
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            if (e.opcode() != IORING_OP_POLL_ADD) {
                return; // a cancel request answered
            }
            int direction = e.data();
            armed[direction] = 0;
            if (cancelled) {
                return;
            }
            int res = e.res();
            if (res != -ECANCELED) {
                // A failed poll (a negative errno) is an error the guest's next I/O call will meet.
                int ops = PollEvents.readyOps(res < 0 ? PollEvents.ERR : res, interest);
                owner.ready(ops & (direction == IN ? IN_OPS : OUT_OPS));
            }
            if (!cancelled && wants(direction)) {
                queue();
            }
        }

        @Override
        void cancel() {
            cancelled = true;
            channel.onClose(null);
            for (int d = IN; d <= OUT; d++) {
                if (armed[d] != 0) {
                    io.submit(cancelOf(armed[d]));
                    armed[d] = 0;
                }
            }
            io.cancel();
        }

        @Override
        public void unregistered() {
            unregistered = true;
        }

        /** The ring has answered every request of this watch, and the handler dropped it. */
        @Override
        boolean letGo() {
            return unregistered;
        }
    }
}
