package io.guestloop.demo;

import io.guestloop.tck.Timeouts;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts demo servers on 127.0.0.1 with a port the OS picks and stops every one of them at the end
 * of a test, so that a failing test leaves nothing listening.
 *
 * <p><b>Threading:</b> the test thread only.
 */
final class DemoFixture implements AutoCloseable {

    private final List<DemoServer> servers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    /** A demo started with {@code --host 127.0.0.1 --port 0} followed by {@code extraArgs}. */
    DemoServer start(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(extraArgs));
        DemoServer demo = DemoServer.start(DemoOptions.parse(args.toArray(String[]::new)));
        servers.add(demo);
        return demo;
    }

    /** A JDK client connected to {@code path}, closed with the fixture. */
    JdkWebSocketClient connect(DemoServer demo, String path) {
        JdkWebSocketClient c = JdkWebSocketClient.connect(demo, path);
        clients.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        for (DemoServer s : servers) {
            Timeouts.await(s.close(), "the demo to stop");
        }
    }
}
