/**
 * The {@code executor} backend: a guest on any serial executor that cannot wait on sockets itself
 * (the Swing event dispatch thread, the JavaFX application thread, a single-thread
 * {@link java.util.concurrent.Executor}). A watcher thread per context waits in a
 * {@link java.nio.channels.Selector} and hands readiness over; every guest callback runs on the host.
 *
 * <p>{@code java.desktop} is optional: it is read only by {@link io.guestloop.executor.SerialHost#swing()}.
 * JavaFX is not required at all: {@link io.guestloop.executor.SerialHost#javaFx()} reaches it by
 * reflection, so this module needs {@code javafx.graphics} in the module graph only when it is asked
 * for a JavaFX host.
 */
module io.guestloop.executor {
    requires transitive io.guestloop;
    requires static java.desktop;

    exports io.guestloop.executor;

    provides io.guestloop.spi.LoopOpsProvider with io.guestloop.executor.ExecutorLoopOpsProvider;
}
