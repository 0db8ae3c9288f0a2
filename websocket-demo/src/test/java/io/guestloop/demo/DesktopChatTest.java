package io.guestloop.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desktop chat client on a real display: Xvfb (Debian's {@code xvfb}) is started on a free
 * display, {@link DesktopChatDriver} opens a {@link DesktopChat} window there in a child JVM, sends
 * a line through the window's input field, sees it come back into the window from the demo server,
 * and saves a picture of the window to {@code target/desktop-chat.png}. Without Xvfb the test is
 * skipped, or fails with {@code CI=true}: see {@link OutsideProgram}.
 */
class DesktopChatTest {

    private final DemoFixture fixture = new DemoFixture();
    private final List<ExternalProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ExternalProcess p : processes) {
            p.close();
        }
        fixture.close();
    }

    @Test
    void aLineSentFromTheWindowComesBackIntoTheWindow() throws Exception {
        Path xvfb = OutsideProgram.XVFB.require(DesktopChatTest.class);
        DemoServer demo = fixture.start("--backend", "nio");
        // -displayfd: Xvfb picks a free display and prints its number once it accepts clients.
        ExternalProcess display = ExternalProcess.start(List.of(xvfb.toString(), "-displayfd", "1", "-screen", "0", "1024x768x24", "-nolisten", "tcp"));
        processes.add(display);
        String number = display.nextLine("Xvfb's display number").trim();

        Path picture = Path.of(System.getProperty("demo.desktop.screenshot", "target/desktop-chat.png")).toAbsolutePath();
        Files.createDirectories(picture.getParent());
        Files.deleteIfExists(picture);
        String chat = "ws://" + demo.pageUri().getRawAuthority() + "/ws/chat";
        String line = "hello from the Swing event thread";
        ExternalProcess client = ExternalProcess.start(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=false",
                DesktopChatDriver.class.getName(), chat, line, picture.toString()), Map.of("DISPLAY", ":" + number));
        processes.add(client);
        ExternalProcess.Result result = client.await();

        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("status: connected; callbacks on AWT-EventQueue"), result.stdout());
        assertTrue(result.stdout().contains("seen in the window: ") && result.stdout().contains("(you): " + line), result.stdout());
        BufferedImage image = ImageIO.read(picture.toFile());
        assertNotNull(image, "a PNG at " + picture);
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100, "the picture shows the window: " + image.getWidth() + "x" + image.getHeight());
    }
}
