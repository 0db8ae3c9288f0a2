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
 * socket served there, and the mailbox through which lines from other threads (other members, the
 * server clock) reach them. Keeping one room per thread is what lets the chat run without locks:
 * only its own thread ever touches a room's sets.
 *
 * <p><b>Threading:</b> {@link #post} from any thread; everything else on {@link #thread()}.
 */
final class ChatRoom {

    private static final System.Logger LOG = System.getLogger(ChatRoom.class.getName());

    /** What a mailbox carries to a room. */
    sealed interface Event permits Line, Shutdown {
    }

    /** A line to send to every member of the room. */
    record Line(String json) implements Event {
    }

    /** Close every socket of the room with 1001; {@link #drained()} completes when they are gone. */
    record Shutdown() implements Event {
    }

    private final ServiceThread thread;
    private final Set<WebSocket> members = new LinkedHashSet<>();
    private final Set<WebSocket> sockets = new LinkedHashSet<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Mailbox<Event> inbox;
    private boolean shuttingDown;

    /** Opens the room of {@code thread}; call on that thread. */
    ChatRoom(ServiceThread thread) {
        this.thread = thread;
        this.inbox = Mailbox.open(thread, this::receive);
    }

    ServiceThread thread() {
        return thread;
    }

    /** Queues {@code event} for this room and wakes its thread. Any thread. */
    boolean post(Event event) {
        return inbox.post(event);
    }

    /** Completes once a {@link Shutdown} closed every socket of the room, or the room was closed. */
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

    /** Stops the mailbox; called when the service thread stops. */
    void close() {
        inbox.close();
        drained.complete(null);
    }

    private void receive(Event event) {
        if (event instanceof Line line) {
            sendToMembers(line.json());
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
