package io.guestloop.netty;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest's watches that were cancelled but that the loop may not have let go of yet (a key still
 * in the selector, a poll the ring has not answered). A service thread's close completes once the
 * loop has let go of every one of them: only then is a channel closed meanwhile really closed (a
 * guest listener stops accepting).
 *
 * <p><b>Threading:</b> loop thread only.
 */
final class CancelledWatches {

    /** Above this many, adding first drops the watches already let go, so the list stays short. */
    private static final int PRUNE_AT = 64;

    private final List<Watch> watches = new ArrayList<>();

    /** Remembers a watch just cancelled, unless the loop has let go of it already. */
    void add(Watch watch) {
        if (watch.letGo()) {
            return;
        }
        if (watches.size() >= PRUNE_AT) {
            watches.removeIf(Watch::letGo);
        }
        watches.add(watch);
    }

    /** True when the loop has let go of every watch remembered; forgets those it has. */
    boolean allLetGo() {
        watches.removeIf(Watch::letGo);
        return watches.isEmpty();
    }

    /** Forgets every watch: the loop lets go of everything as it ends, so there is nothing to wait for. */
    void clear() {
        watches.clear();
    }
}
