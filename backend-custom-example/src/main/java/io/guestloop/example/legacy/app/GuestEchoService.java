package io.guestloop.example.legacy.app;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;
import io.guestloop.Mailbox;
import io.guestloop.Protocol;
import io.guestloop.ServiceThread;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The guest: a TCP echo service that also takes notes from other threads through a {@link Mailbox}.
 * Written against the guest API only; it has no idea it runs on a {@code LegacyLoop}.
 *
 * <p><b>Threading:</b> every callback runs on the service thread (here, the legacy loop's thread).
 * {@link #notes()} may be used from any thread: the mailbox it yields is the one door in.
 */
final class GuestEchoService implements Protocol, ConnectionHandler {

    private final Consumer<String> out;
    private final CompletableFuture<Mailbox<String>> notes = new CompletableFuture<>();
    // Service thread only:
    private Mailbox<String> mailbox;
    private int echoes;
    private int notesReceived;
    private final Set<String> threads = new HashSet<>();

    GuestEchoService(Consumer<String> out) {
        this.out = out;
    }

    /** Completes with the mailbox once the service thread has started. Any thread. */
    CompletionStage<Mailbox<String>> notes() {
        return notes;
    }

    @Override
    public void onStart(ServiceThread thread) {
        mailbox = Mailbox.open(thread, this::onNote);
        notes.complete(mailbox);
    }

    @Override
    public void onStop(ServiceThread thread) {
        if (mailbox != null) {
            mailbox.close();
        }
        say("stopped: every connection is closed");
    }

    /**
     * Declared by both {@link Protocol} and {@link ConnectionHandler}, so it must be spelled out;
     * the mailbox drains its own queue on this event, so there is nothing more to do.
     */
    @Override
    public void onEventWaitCancelled(ServiceThread thread) {
    }

    @Override
    public void onOpen(Connection connection) {
        say("client connected from " + connection.remoteAddress());
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        int bytes = data.remaining();
        // A demo client sends a line at a time; a stack that must survive slow readers handles a
        // refused write (see EchoExample in backend-nio). Here a refusal just ends the connection.
        if (!connection.write(data)) {
            connection.close();
            return;
        }
        echoes++;
        say("echoed " + bytes + " bytes to " + connection.remoteAddress());
    }

    private void onNote(String note) {
        notesReceived++;
        say("mailbox says \"" + note + "\"");
    }

    private void say(String what) {
        threads.add(Thread.currentThread().getName());
        out.accept("[" + Thread.currentThread().getName() + "] guest: " + what);
    }

    int echoes() {
        return echoes;
    }

    int notesReceived() {
        return notesReceived;
    }

    Set<String> threads() {
        return threads;
    }
}
