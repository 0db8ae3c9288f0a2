package io.guestloop.netty;

import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Non-blocking reads and writes on a native descriptor with {@code java.nio} buffer semantics:
 * positions advance by what was moved, 0 means "would block", -1 end of stream. Netty's native calls
 * need direct buffers; a heap buffer goes through a direct scratch buffer of the calling thread, as
 * the JDK's own channels do, at most {@link #SCRATCH_BYTES} per call.
 *
 * <p><b>Threading:</b> stateless but for the per-thread scratch buffer; any thread.
 */
final class NativeIo {

    /** The most a heap-buffer read or write moves in one call. */
    static final int SCRATCH_BYTES = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH_BYTES));

    private NativeIo() {
    }

    static int read(FileDescriptor fd, ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        int pos = dst.position();
        int len = dst.limit() - pos;
        if (len <= 0) {
            return 0; // a read of nothing would come back as 0 bytes, which Netty reports as end of stream
        }
        if (dst.isDirect()) {
            int n = fd.read(dst, pos, pos + len);
            if (n > 0) {
                dst.position(pos + n);
            }
            return n;
        }
        ByteBuffer scratch = SCRATCH.get();
        int n = fd.read(scratch, 0, Math.min(len, scratch.capacity()));
        if (n > 0) {
            dst.put(pos, scratch, 0, n);
            dst.position(pos + n);
        }
        return n;
    }

    static long read(FileDescriptor fd, ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer b = dsts[i];
            if (!b.hasRemaining()) {
                continue;
            }
            int n = read(fd, b);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (b.hasRemaining()) {
                break; // the descriptor has nothing more now
            }
        }
        return total;
    }

    static int write(FileDescriptor fd, ByteBuffer src) throws IOException {
        int pos = src.position();
        int len = src.limit() - pos;
        if (len <= 0) {
            return 0;
        }
        int n;
        if (src.isDirect()) {
            n = fd.write(src, pos, pos + len);
        } else {
            ByteBuffer scratch = SCRATCH.get();
            int chunk = Math.min(len, scratch.capacity());
            scratch.put(0, src, pos, chunk);
            n = fd.write(scratch, 0, chunk);
        }
        if (n > 0) {
            src.position(pos + n);
        }
        return n;
    }

    /**
     * A gathering write: one {@code writev} when every buffer is direct, else one {@code write} of
     * what fits in the scratch buffer, copied in order.
     */
    static long write(FileDescriptor fd, ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        boolean direct = true;
        for (int i = offset; i < offset + length; i++) {
            total += srcs[i].remaining();
            direct &= srcs[i].isDirect();
        }
        if (total == 0) {
            return 0;
        }
        long written;
        if (direct) {
            written = fd.writev(srcs, offset, length, Long.MAX_VALUE);
        } else {
            ByteBuffer scratch = SCRATCH.get();
            int filled = 0;
            for (int i = offset; i < offset + length && filled < scratch.capacity(); i++) {
                ByteBuffer b = srcs[i];
                int chunk = Math.min(b.remaining(), scratch.capacity() - filled);
                scratch.put(filled, b, b.position(), chunk);
                filled += chunk;
            }
            written = fd.write(scratch, 0, filled);
        }
        advance(srcs, offset, length, written);
        return written;
    }

    private static void advance(ByteBuffer[] srcs, int offset, int length, long written) {
        long left = written;
        for (int i = offset; i < offset + length && left > 0; i++) {
            ByteBuffer b = srcs[i];
            int step = (int) Math.min(b.remaining(), left);
            b.position(b.position() + step);
            left -= step;
        }
    }
}
