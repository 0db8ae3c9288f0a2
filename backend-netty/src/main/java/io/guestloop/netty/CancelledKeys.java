package io.guestloop.netty;

import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's selection keys that were cancelled but may still be in the loop's selector. The JDK
 * lets a cancelled key go, and really closes a channel closed meanwhile (a guest listener stops
 * accepting), only at the selector's next selection; a service thread's close completes once that
 * has happened for every one of them.
 *
 * <p><b>Threading:</b> loop thread only.
 */
final class CancelledKeys {

    /** Above this many, adding first drops the keys already let go, so the list stays short. */
    private static final int PRUNE_AT = 64;

    private final List<SelectionKey> keys = new ArrayList<>();

    /** Remembers a key just cancelled (the {@code IoRegistration}'s attachment; anything else is ignored). */
    void add(Object key) {
        if (key instanceof SelectionKey) {
            if (keys.size() >= PRUNE_AT) {
                keys.removeIf(CancelledKeys::letGo);
            }
            keys.add((SelectionKey) key);
        }
    }

    /** True when the selector has let go of every key remembered; forgets those it has. */
    boolean allLetGo() {
        keys.removeIf(CancelledKeys::letGo);
        return keys.isEmpty();
    }

    /** Forgets every key: the selector closes as its loop ends, so there is nothing to wait for. */
    void clear() {
        keys.clear();
    }

    private static boolean letGo(SelectionKey key) {
        try {
            return !key.selector().keys().contains(key);
        } catch (ClosedSelectorException e) {
            return true;
        }
    }
}
