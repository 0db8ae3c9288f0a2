package io.guestloop.demo;

import io.guestloop.Protocol;
import io.guestloop.ServiceThread;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole chat: one {@link ChatRoom} per service thread, opened when the thread starts and
 * closed when it stops. A line said on any thread is posted to every room's mailbox, its own
 * included, so members on every thread receive it, in the same order as the posts of each
 * sender. A member's line waits for a full room with the member paused ({@link ChatMember}); what
 * the server itself says ({@link #broadcast}: the clock, who left) is dropped for a full room.
 *
 * <p><b>Threading:</b> {@link #broadcast}, {@link #all}, {@link #shutdown} and
 * {@link #nextVisitorName} from any thread; {@link #roomOf} on the thread asked about; the
 * {@link Protocol} methods on their thread. The map of rooms is the only state shared between
 * threads, and it holds mailboxes, not members.
 */
final class ChatRooms implements Protocol {

    private static final System.Logger LOG = System.getLogger(ChatRooms.class.getName());

    private final ConcurrentMap<Integer, ChatRoom> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger visitors = new AtomicInteger();

    @Override
    public void onStart(ServiceThread thread) {
        rooms.put(thread.index(), new ChatRoom(thread));
    }

    @Override
    public void onStop(ServiceThread thread) {
        ChatRoom room = rooms.remove(thread.index());
        if (room != null) {
            room.close();
        }
    }

    /**
     * The room of {@code thread}; call on that thread. The core starts protocols before the thread
     * serves any connection, so a socket always finds its room.
     *
     * @throws IllegalStateException when the thread has no room (it is stopping)
     */
    ChatRoom roomOf(ServiceThread thread) {
        ChatRoom room = rooms.get(thread.index());
        if (room == null || room.thread() != thread) {
            throw new IllegalStateException("service thread " + thread.name() + " has no chat room: it is not started or already stopping");
        }
        return room;
    }

    /**
     * Sends {@code json} to every chat member on every thread, except in a room that is full: there
     * the line is dropped, since the server's own notices (the clock, who left) are not worth
     * holding anyone up for. Any thread; never blocks.
     */
    void broadcast(String json) {
        for (ChatRoom room : rooms.values()) {
            if (!room.offer(json)) {
                LOG.log(System.Logger.Level.DEBUG, "notice dropped for the full room of {0}", room.thread().name());
            }
        }
    }

    /** Every room, in service-thread order. Any thread. */
    List<ChatRoom> all() {
        return rooms.values().stream().sorted(Comparator.comparingInt(r -> r.thread().index())).toList();
    }

    /** A fresh display name: visitor-1, visitor-2, ... Any thread. */
    String nextVisitorName() {
        return "visitor-" + visitors.incrementAndGet();
    }
}
