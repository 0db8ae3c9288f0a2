package io.guestloop.demo;

import io.guestloop.GuestContext;
import io.guestloop.executor.SerialHost;
import io.guestloop.websocket.WebSocket;
import io.guestloop.websocket.WebSocketClient;
import io.guestloop.websocket.WebSocketEndpoint;

import javax.swing.BorderFactory;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.WindowConstants;
import java.awt.BorderLayout;
import java.awt.EventQueue;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A desktop client of the demo's chat room: a Swing window whose {@link WebSocketClient} runs as a
 * guest on the Swing event dispatch thread ({@link SerialHost#swing()}). Every WebSocket callback
 * runs on that thread, so it updates the window's components directly, and the input field's own
 * action sends on the socket directly: no {@code invokeLater}, no lock, no queue of ours.
 *
 * <pre>
 * java -cp target/guestloop-websocket-demo.jar io.guestloop.demo.DesktopChat ws://127.0.0.1:7681/ws/chat
 * </pre>
 *
 * <p><b>Threading:</b> {@link #open} and every other method on the event dispatch thread only;
 * {@link #main} from any thread.
 */
public final class DesktopChat implements WebSocketEndpoint {

    private final GuestContext context = GuestContext.builder().hostLoop(SerialHost.swing()).build();
    private final JFrame frame = new JFrame("guestloop chat");
    private final JTextArea transcript = new JTextArea(16, 48);
    private final JTextField input = new JTextField();
    private final JLabel status = new JLabel("connecting...");
    private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    private WebSocket socket;
    private String me = "";

    private DesktopChat() {
        transcript.setEditable(false);
        transcript.setLineWrap(true);
        input.setEnabled(false);
        input.addActionListener(e -> send()); // on the dispatch thread, which is the guest's loop thread
        status.setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosed(WindowEvent e) {
                close();
            }
        });
        frame.getContentPane().add(status, BorderLayout.NORTH);
        frame.getContentPane().add(new JScrollPane(transcript), BorderLayout.CENTER);
        frame.getContentPane().add(input, BorderLayout.SOUTH);
        frame.pack();
    }

    /**
     * Shows a chat window and connects it to {@code chat} (the demo's {@code ws://.../ws/chat}).
     *
     * @throws IllegalStateException off the event dispatch thread
     */
    public static DesktopChat open(URI chat) {
        if (!EventQueue.isDispatchThread()) {
            throw new IllegalStateException("DesktopChat.open runs on the Swing event dispatch thread; called on "
                    + Thread.currentThread().getName());
        }
        DesktopChat window = new DesktopChat();
        window.frame.setVisible(true);
        WebSocketClient.builder().build().connect(window.context.serviceThreads().get(0), chat, window)
                .whenComplete((s, failure) -> {
                    if (failure != null) {
                        window.status.setText("cannot connect: " + failure.getMessage());
                        window.opened.completeExceptionally(failure);
                    }
                });
        return window;
    }

    /** Opens a window on the chat at {@code args[0]} ({@code ws://127.0.0.1:7681/ws/chat}, the demo server's default, when absent). */
    public static void main(String[] args) {
        URI chat = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:7681/ws/chat");
        EventQueue.invokeLater(() -> open(chat)); // the application's own start, onto its UI thread
    }

    /** Completes when the chat is open, with the socket; fails when it could not connect. */
    CompletionStage<WebSocket> opened() {
        return opened;
    }

    JFrame frame() {
        return frame;
    }

    JTextArea transcript() {
        return transcript;
    }

    JTextField input() {
        return input;
    }

    JLabel status() {
        return status;
    }

    private void send() {
        String line = input.getText().strip();
        if (socket != null && socket.isOpen() && !line.isEmpty()) {
            socket.sendText(line);
            input.setText("");
        }
    }

    /** Closes the socket and the guest context; the dispatch thread goes on. */
    void close() {
        if (socket != null && socket.isOpen()) {
            socket.close(1000, "window closed");
        }
        context.close();
    }

    // ---- the WebSocket callbacks, on the dispatch thread ---------------------------------------

    @Override
    public void onOpen(WebSocket s) {
        socket = s;
        status.setText("connected; callbacks on " + Thread.currentThread().getName());
        input.setEnabled(true);
        input.requestFocusInWindow();
        opened.complete(s);
    }

    @Override
    public void onText(WebSocket s, String message) {
        String type = SimpleJson.string(message, "type");
        switch (type == null ? "" : type) {
            case "welcome" -> {
                me = SimpleJson.string(message, "you");
                append("You are " + me + ", served by backend " + SimpleJson.string(message, "backend")
                        + " on " + SimpleJson.string(message, "thread"));
            }
            case "chat" -> {
                String from = SimpleJson.string(message, "from");
                append(from + (from != null && from.equals(me) ? " (you)" : "") + ": " + SimpleJson.string(message, "text"));
            }
            case "join" -> append("* " + SimpleJson.string(message, "who") + " joined");
            case "leave" -> append("* " + SimpleJson.string(message, "who") + " left");
            case "time" -> status.setText("connected; server time " + SimpleJson.string(message, "text"));
            default -> append(message);
        }
    }

    @Override
    public void onClose(WebSocket s, int code, String reason) {
        input.setEnabled(false);
        status.setText("closed (" + code + (reason.isEmpty() ? "" : ", " + reason) + ")");
    }

    private void append(String line) {
        transcript.append(line + "\n");
        transcript.setCaretPosition(transcript.getDocument().getLength());
    }
}
