package io.guestloop.netty;

import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;

/**
 * A {@link Pipe} over a native, non-blocking {@code pipe2} pair, for epoll and io_uring loops (the
 * guest core's own wake-up and close markers are such pipes).
 *
 * <p><b>Threading:</b> each end one thread at a time; {@code close()} from any thread.
 */
final class NativePipe extends Pipe {

    private final Source source;
    private final Sink sink;

    NativePipe(SelectorProvider provider) throws IOException {
        FileDescriptor[] ends = FileDescriptor.pipe();
        try {
            this.source = new Source(provider, ends[0]);
            this.sink = new Sink(provider, ends[1]);
        } catch (IOException | RuntimeException e) {
            ends[0].close();
            ends[1].close();
            throw e;
        }
    }

    @Override
    public SourceChannel source() {
        return source;
    }

    @Override
    public SinkChannel sink() {
        return sink;
    }

    /** The read end. */
    static final class Source extends Pipe.SourceChannel implements NativeChannel {
        private final FileDescriptor fd;
        private volatile Runnable closeHook;

        Source(SelectorProvider provider, FileDescriptor fd) throws IOException {
            super(provider);
            this.fd = fd;
            configureBlocking(false);
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void onClose(Runnable hook) {
            closeHook = hook;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            ensureOpen(this);
            return NativeIo.read(fd, dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            ensureOpen(this);
            return NativeIo.read(fd, dsts, offset, length);
        }

        @Override
        public long read(ByteBuffer[] dsts) throws IOException {
            return read(dsts, 0, dsts.length);
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            Runnable hook = closeHook;
            closeHook = null;
            closeWith(hook, fd);
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            NativeChannels.refuseBlocking(block, this);
        }

        @Override
        public String toString() {
            return "NativePipe.Source[fd " + fd.intValue() + (isOpen() ? "]" : ", closed]");
        }
    }

    /** The write end. */
    static final class Sink extends Pipe.SinkChannel implements NativeChannel {
        private final FileDescriptor fd;
        private volatile Runnable closeHook;

        Sink(SelectorProvider provider, FileDescriptor fd) throws IOException {
            super(provider);
            this.fd = fd;
            configureBlocking(false);
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void onClose(Runnable hook) {
            closeHook = hook;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ensureOpen(this);
            return NativeIo.write(fd, src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            ensureOpen(this);
            return NativeIo.write(fd, srcs, offset, length);
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            Runnable hook = closeHook;
            closeHook = null;
            closeWith(hook, fd);
        }

        @Override
        protected void implConfigureBlocking(boolean block) {
            NativeChannels.refuseBlocking(block, this);
        }

        @Override
        public String toString() {
            return "NativePipe.Sink[fd " + fd.intValue() + (isOpen() ? "]" : ", closed]");
        }
    }

    private static void ensureOpen(java.nio.channels.Channel channel) throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private static void closeWith(Runnable hook, FileDescriptor fd) throws IOException {
        if (hook != null) {
            hook.run();
        }
        fd.close();
    }
}
