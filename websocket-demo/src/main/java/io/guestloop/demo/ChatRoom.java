package io.guestloop.demo;

import io.guestloop.Mailbox;
import io.guestloop.ServiceThread;
import io.guestloop.websocket.CloseCode;
import io.guestloop.websocket.WebSocket;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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

    /** What the control mailbox carries to a room. */
    private sealed interface Control permits Retry, Shutdown {
    }

    /** A room {@code member} waited for has room: its line may go on. */
    private record Retry(ChatMember member) implements Control {
    }

    /** Close every socket of the room with 1001; {@link #drained()} completes when they are gone. */
    private record Shutdown() implements Control {
    }

    private final ServiceThread thread;
    private final Set<WebSocket> members = new LinkedHashSet<>();
    private final Set<WebSocket> sockets = new LinkedHashSet<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Mailbox<String> lines;
    private final Mailbox<Control> control;
    private boolean shuttingDown;

    /** Opens the room of {@code thread}; call on that thread. */
    ChatRoom(ServiceThread thread) {
        this.thread = thread;
        this.lines = Mailbox.open(thread, ChatLimits.LINES_PER_ROOM, this::sendToMembers);
        this.control = Mailbox.open(thread, this::receive);
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
        control.post(new Retry(member));
    }

    /** Asks the room to close its sockets with 1001. Any thread. */
    void shutdown() {
        control.post(new Shutdown());
    }

    /** Completes once a shutdown closed every socket of the room, or the room was closed. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /**
     * A demo socket opened on this thread.
     *
     * @return false when the room is shutting down: the socket was closed with 1001
     */
    boolean track(WebSocket socket) {
        if (shuttingDown) {
            socket.close(CloseCode.GOING_AWAY, "server shutting down");
            return false;
        }
        sockets.add(socket);
        return true;
    }

    /** {@code socket} becomes a chat member and receives every line from now on. */
    void join(WebSocket socket) {
        members.add(socket);
    }

    /** {@code socket} is gone (closed, either side). */
    void forget(WebSocket socket) {
        members.remove(socket);
        sockets.remove(socket);
        if (shuttingDown && sockets.isEmpty()) {
            drained.complete(null);
        }
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
        control.close();
        drained.complete(null);
    }

    private void receive(Control event) {
        if (event instanceof Retry retry) {
            retry.member().retry();
        } else if (event instanceof Shutdown) {
            shuttingDown = true;
            if (sockets.isEmpty()) {
                drained.complete(null);
                return;
            }
            for (WebSocket s : new ArrayList<>(sockets)) {
                s.close(CloseCode.GOING_AWAY, "server shutting down");
            }
        }
    }
}
