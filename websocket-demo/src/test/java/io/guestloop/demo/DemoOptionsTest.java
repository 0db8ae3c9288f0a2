package io.guestloop.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: defaults, both option forms, and a message that helps for every bad input. */
class DemoOptionsTest {

    @Test
    void noArgumentsGiveNioOnPort7681WithTheNativePortNextToIt() {
        assertEquals(DemoOptions.defaults(), DemoOptions.parse());
        assertEquals(new DemoOptions("nio", "nio", "127.0.0.1", 7681, 7682, 1, Duration.ofSeconds(5), false, false, null, null), DemoOptions.parse());
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
        DemoOptions o = DemoOptions.parse("--backend", "NETTY", "--port=9000", "--threads", "3", "--clock-ms=250", "--host", "0.0.0.0",
                "--transport", "IO_URING");
        assertEquals(new DemoOptions("netty", "io_uring", "0.0.0.0", 9000, 9001, 3, Duration.ofMillis(250), false, false, null, null), o);
    }

    @Test
    void nettyPicksItsTransportAsANettyApplicationWould() {
        String expected = io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";
        assertEquals(expected, DemoOptions.parse("--backend", "netty").transport(), "epoll where it runs, else nio");
        assertEquals("nio", DemoOptions.parse("--backend", "vertx").transport(), "Vert.x's own default");
        assertEquals("nio", DemoOptions.parse("--backend", "netty", "--transport", "nio").transport());
    }

    @Test
    void aNativeTransportForAHostWithoutNettyLoopsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse("--backend", "nio", "--transport", "epoll"));
        assertTrue(e.getMessage().contains("--backend netty"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> DemoOptions.parse("--backend", "netty", "--transport", "kqueue"));
        assertTrue(bad.getMessage().contains("nio, epoll, io_uring"), bad.getMessage());
    }

    @Test
    void portZeroLetsTheOsPickBothPorts() {
        DemoOptions o = DemoOptions.parse("--port", "0");
        assertEquals(0, o.port());
        assertEquals(0, o.nativePort());
    }

    @Test
    void helpIsRecognisedAnywhere() {
        assertTrue(DemoOptions.parse("--port", "1", "--help").help());
        assertTrue(DemoOptions.parse("-h").help());
        assertTrue(DemoOptions.USAGE.contains("--backend"));
    }

    @Test
    void anUnknownBackendIsNamedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--backend", "epoll"));
        assertEquals("--backend expects one of nio, netty, vertx, legacy, found 'epoll'", e.getMessage());
    }

    @Test
    void aBadPortSaysWhatIsAccepted() {
        assertEquals("--port expects a whole number from 0 to 65535, found 'http'",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--port", "http")).getMessage());
        assertEquals("--port expects a whole number from 0 to 65535, found '70000'",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--port=70000")).getMessage());
        assertEquals("--threads expects a whole number from 1 to 256, found '0'",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--threads", "0")).getMessage());
    }

    @Test
    void aMissingValueIsReported() {
        assertEquals("--port needs a value, found none",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--port")).getMessage());
        assertEquals("--backend needs a value, found none",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--backend", "--port", "1")).getMessage());
    }

    @Test
    void anUnknownOptionListsTheKnownOnes() {
        String m = assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--prot", "80")).getMessage();
        assertTrue(m.startsWith("unknown option --prot; the options are --backend,"), m);
        assertEquals("expected an option such as --port, found '8080'",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("8080")).getMessage());
    }

    @Test
    void theNativePortMustNotCollideOrOverflow() {
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--port", "65535"));
        assertEquals(65534, DemoOptions.parse("--port", "65535", "--native-port", "65534").nativePort());
        assertEquals("--native-port must differ from --port, both are 9000",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--port", "9000", "--native-port", "9000")).getMessage());
    }

    @Test
    void vertxAndLegacyServeOneThreadAndSaySo() {
        assertEquals("--threads 2 cannot be served by backend vertx: its host runs the guest on one verticle context, "
                        + "which is one thread; use --threads 1, or --backend nio or netty for more",
                assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--backend", "vertx", "--threads", "2")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--threads", "4", "--backend", "legacy"));
        assertEquals(1, DemoOptions.parse("--backend", "legacy").threads());
    }
}
