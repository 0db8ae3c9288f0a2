package io.guestloop.websocket.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Where every {@code Deflater} and {@code Inflater} of the stack comes from and goes back to: they
 * hold native memory (zlib's window and tables) that only {@code end()} frees, so each one is
 * counted when made and when ended, and {@link #liveCodecs()} shows what is still held.
 *
 * <p>One pool per service thread lends codecs for one message to sessions that negotiated no
 * context takeover, and takes them back reset, keeping at most {@link #MAX_IDLE} of each kind: a
 * thread compressing one message at a time holds one of each, whatever its number of connections.
 * A session with context takeover owns its codecs and ends them when it closes. The pool counts the
 * sessions of its thread that use compression and ends its idle codecs when the last one closes, so
 * nothing native stays behind a context that closed, even on a host loop that lives on.
 *
 * <p><b>Threading:</b> an instance belongs to the thread that {@link #join() joined} it and is used
 * only there; the counters are thread-safe.
 */
public final class CodecPool {

    /** Idle codecs of each kind a thread keeps for the next message. */
    static final int MAX_IDLE = 4;

    private static final ThreadLocal<CodecPool> POOLS = ThreadLocal.withInitial(CodecPool::new);
    private static final AtomicLong CREATED = new AtomicLong();
    private static final AtomicLong ENDED = new AtomicLong();

    private final ArrayDeque<Inflater> inflaters = new ArrayDeque<>();
    private final ArrayDeque<Deflater> deflaters = new ArrayDeque<>();
    private final ArrayDeque<Integer> deflaterLevels = new ArrayDeque<>();
    private int users;

    private CodecPool() {
    }

    /** Codecs made and not yet ended, over the whole JVM: what native memory they still hold. */
    public static long liveCodecs() {
        return CREATED.get() - ENDED.get();
    }

    /** Codecs made so far, over the whole JVM. */
    public static long createdCodecs() {
        return CREATED.get();
    }

    /** The calling thread's pool, counting one more user until {@link #leave()}. */
    static CodecPool join() {
        CodecPool pool = POOLS.get();
        pool.users++;
        return pool;
    }

    /** One user fewer; the last one out ends every idle codec. */
    void leave() {
        if (--users == 0) {
            while (!inflaters.isEmpty()) {
                end(inflaters.pop());
            }
            while (!deflaters.isEmpty()) {
                deflaterLevels.pop();
                end(deflaters.pop());
            }
        }
    }

    /** An idle inflater of this thread, or a new one. */
    Inflater lendInflater() {
        Inflater inflater = inflaters.poll();
        return inflater != null ? inflater : newInflater();
    }

    /** Takes an inflater back after its message, reset, or ends it when enough are idle. */
    void giveBack(Inflater inflater) {
        if (users > 0 && inflaters.size() < MAX_IDLE) {
            inflater.reset();
            inflaters.push(inflater);
        } else {
            end(inflater);
        }
    }

    /** An idle deflater of {@code level} of this thread, or a new one. */
    Deflater lendDeflater(int level) {
        if (!deflaters.isEmpty() && deflaterLevels.peek() == level) {
            deflaterLevels.pop();
            return deflaters.pop();
        }
        return newDeflater(level);
    }

    /** Takes a deflater of {@code level} back after its message, reset, or ends it when enough are idle. */
    void giveBack(Deflater deflater, int level) {
        if (users > 0 && deflaters.size() < MAX_IDLE) {
            deflater.reset();
            deflaters.push(deflater);
            deflaterLevels.push(level);
        } else {
            end(deflater);
        }
    }

    /** A raw-deflate ({@code nowrap}) inflater, counted. */
    static Inflater newInflater() {
        Inflater inflater = new Inflater(true);
        CREATED.incrementAndGet();
        return inflater;
    }

    /** A raw-deflate ({@code nowrap}) deflater with a 15-bit window, counted. */
    static Deflater newDeflater(int level) {
        Deflater deflater = new Deflater(level, true);
        CREATED.incrementAndGet();
        return deflater;
    }

    /** Frees the inflater's native memory; counted. */
    static void end(Inflater inflater) {
        inflater.end();
        ENDED.incrementAndGet();
    }

    /** Frees the deflater's native memory; counted. */
    static void end(Deflater deflater) {
        deflater.end();
        ENDED.incrementAndGet();
    }
}
