package io.guestloop.demo;

import javax.imageio.ImageIO;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import java.awt.EventQueue;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The program {@link DesktopChatTest} runs in a child JVM on an Xvfb display: it opens a real
 * {@link DesktopChat} window on the chat at {@code args[0]}, types {@code args[1]} into its input
 * field and presses Enter (the field's own action), waits until the line has come back from the
 * server into the window's transcript, saves a picture of the inside of the window to {@code args[2]}, and exits 0.
 * One line per step on stdout; exit 1 when a step failed or took longer than 20 s.
 *
 * <p><b>Threading:</b> {@link #main} on the main thread; the window and its WebSocket on the event
 * dispatch thread.
 */
final class DesktopChatDriver {

    private DesktopChatDriver() {
    }

    public static void main(String[] args) throws Exception {
        URI chat = URI.create(args[0]);
        String line = args[1];
        File picture = new File(args[2]);
        CompletableFuture<DesktopChat> window = new CompletableFuture<>();
        CompletableFuture<String> seen = new CompletableFuture<>();
        EventQueue.invokeLater(() -> {
            DesktopChat c = DesktopChat.open(chat);
            c.transcript().getDocument().addDocumentListener(new DocumentListener() {
                @Override
                public void insertUpdate(DocumentEvent e) {
                    String text = c.transcript().getText();
                    if (text.contains("(you): " + line)) {
                        seen.complete(text);
                    }
                }

                @Override
                public void removeUpdate(DocumentEvent e) {
                }

                @Override
                public void changedUpdate(DocumentEvent e) {
                }
            });
            window.complete(c);
        });
        DesktopChat c = window.get(20, TimeUnit.SECONDS);
        c.opened().toCompletableFuture().get(20, TimeUnit.SECONDS);
        EventQueue.invokeAndWait(() -> {
            System.out.println("status: " + c.status().getText());
            c.input().setText(line);
            c.input().postActionEvent(); // what Enter in the field does
        });
        String transcript = seen.get(20, TimeUnit.SECONDS);
        System.out.println("seen in the window: " + transcript.lines().filter(l -> l.contains(line)).findFirst().orElse(""));
        EventQueue.invokeAndWait(() -> {
            javax.swing.JRootPane inside = c.frame().getRootPane(); // the window's inside, without the frame's border
            BufferedImage image = new BufferedImage(inside.getWidth(), inside.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            inside.printAll(g);
            g.dispose();
            try {
                ImageIO.write(image, "png", picture);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("picture: " + picture + " " + image.getWidth() + "x" + image.getHeight());
            c.frame().dispose(); // closes the socket and the guest context; the dispatch thread goes on
        });
        System.out.println("done");
        System.exit(0);
    }
}
