package io.guestloop.demo;

import io.guestloop.Mailbox;
import io.guestloop.ServiceThread;
import io.guestloop.websocket.WebSocket;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The part of the chat that lives on one service thread: the chat members and every other demo
 * socket served there, and the mailboxes through which other threads (other members, the server
 * clock) reach them. Keeping one room per thread is what lets the chat run without locks: only its
 * own thread ever touches a room's sets.
 *
 * <p>Two mailboxes: {@code lines}, bounded to {@link ChatLimits#LINES_PER_ROOM}, for what members
 * and the clock say (what a peer can make grow); {@code control}, without a capacity, for what is
 * bounded by construction: one shutdown, and at most one retry per member waiting for room.
 *
 * <p><b>Threading:</b> {@link #offer}, {@link #whenRoom}, {@link #retry} and {@link #shutdown} from
 * any thread; everything else on {@link #thread()}.
 */
final class ChatRoom {

    private static final System.Logger LOG = System.getLogger(ChatRoom.class.getName());

    private final ServiceThread thread;
    private final Set<WebSocket> members = new LinkedHashSet<>();
    private final Mailbox<String> lines;
    /** Members whose waited-for room came: their line may go on. */
    private final Mailbox<ChatMember> retries;

    /** Opens the room of {@code thread}; call on that thread. */
    ChatRoom(ServiceThread thread) {
        this.thread = thread;
        this.lines = Mailbox.open(thread, ChatLimits.LINES_PER_ROOM, this::sendToMembers);
        this.retries = Mailbox.open(thread, ChatMember::retry);
    }

    ServiceThread thread() {
        return thread;
    }

    /**
     * Queues a line for every member of this room. Any thread.
     *
     * @return false when the room already holds {@link ChatLimits#LINES_PER_ROOM} lines (or is
     *         closed): nothing was queued
     */
    boolean offer(String json) {
        return lines.post(json);
    }

    /**
     * Runs {@code task} on this room's thread once its lines drained to half. Any thread.
     *
     * @return false when the room is closed
     */
    boolean whenRoom(Runnable task) {
        return lines.whenRoom(task);
    }

    /** Lets {@code member}, whose home this room is, try its line again, on this room's thread. Any thread. */
    void retry(ChatMember member) {
        retries.post(member);
    }

    /** {@code socket} becomes a chat member and receives every line from now on. */
    void join(WebSocket socket) {
        members.add(socket);
    }

    /** {@code socket} is gone (closed, either side). */
    void forget(WebSocket socket) {
        members.remove(socket);
    }

    /** Sends {@code json} to every member of this room. */
    void sendToMembers(String json) {
        for (WebSocket m : members) {
            // A member whose queue is full misses the line: a chat that waits for its slowest
            // reader would let one stuck browser hold everybody's memory.
            if (!m.sendText(json)) {
                LOG.log(System.Logger.Level.DEBUG, "chat line dropped for {0}: its send queue is full", m.remoteAddress());
            }
        }
    }

    /** Stops the mailboxes; called when the service thread stops. */
    void close() {
        lines.close();
        retries.close();
    }
}
