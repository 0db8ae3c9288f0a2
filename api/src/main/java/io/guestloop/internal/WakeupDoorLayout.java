package io.guestloop.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Puts the pending word of a {@link WakeupDoor} on a cache line of its own. Callers of
 * {@code cancelService()} read it on every call and the loop writes it once per wake-up; were any
 * other field that either side writes on its line, a call that should cost one load would miss its
 * cache. The padding lives in classes around the word because HotSpot lays out a superclass's
 * fields before its subclass's, and sorts the fields of one class by size.
 *
 * <p><b>Threading:</b> as {@link WakeupDoor}'s.
 */
final class WakeupDoorLayout {

    private WakeupDoorLayout() {
    }

    /** 64 bytes between the object header (and whatever lies before the object) and the word. */
    abstract static class PadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** The word. */
    abstract static class Word extends PadBefore {
        static final VarHandle PENDING;

        static {
            try {
                PENDING = MethodHandles.lookup().findVarHandle(Word.class, "pending", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The {@link WakeupDoor#CANCEL}/{@link WakeupDoor#TASKS} bits; read by callers on every call, written once per wake-up. */
        volatile int pending;
    }

    /** 64 bytes after the word, so that the door's own fields and the next object keep off its line. */
    abstract static class PadAfter extends Word {
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }
}
