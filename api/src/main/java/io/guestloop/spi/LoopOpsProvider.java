package io.guestloop.spi;

/**
 * Finds and creates one kind of backend. Implementations are discovered with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.guestloop.spi.LoopOpsProvider} for the class path, and
 * {@code provides io.guestloop.spi.LoopOpsProvider with ...} in {@code module-info.java} for the
 * module path.
 *
 * <p><b>Threading:</b> every method may be called from any thread and must not block; a provider
 * holds no mutable state.
 *
 * <p><b>Selection</b> (done by the guest core at {@code GuestContext.Builder.build()}):
 * a backend named by the builder or by the system property {@code guestloop.backend} wins; else the
 * provider with the highest {@link #priority()} whose {@link #accepts(Object)} is true; else the one
 * named {@code nio}.
 */
public interface LoopOpsProvider {

    /** The backend's short name, unique among providers: {@code nio}, {@code netty}, {@code vertx}... */
    String name();

    /**
     * Which provider wins when several accept the same host loop; higher wins. Providers that serve
     * a specific foreign loop type should return a positive value; the built-in {@code nio} returns 0.
     */
    default int priority() {
        return 0;
    }

    /**
     * Whether this provider can run guests on {@code hostLoop}.
     *
     * @param hostLoop the object given to {@code GuestContext.Builder.hostLoop}, or {@code null} when
     *                 the application has no loop and the backend is to own its threads
     * @return true when {@link #create(LoopOptions)} would succeed for it
     */
    boolean accepts(Object hostLoop);

    /**
     * One line naming what this provider accepts as a host loop and which jar provides it, used in
     * error messages when no provider fits (for example
     * {@code "netty: a Netty EventLoopGroup or EventLoop (guestloop-backend-netty)"}).
     */
    default String describe() {
        return name();
    }

    /**
     * Creates the backend for one guest context.
     *
     * @param options what the context asks for; {@code options.hostLoop()} was accepted by
     *                {@link #accepts(Object)}
     * @return a new {@link LoopOps}, whose threads are not yet {@linkplain LoopThread#start started}
     * @throws IllegalArgumentException when the host loop is of a kind this provider recognises but
     *                                  cannot serve (for example a Netty epoll loop); the message says
     *                                  what was found and what to use instead
     */
    LoopOps create(LoopOptions options);
}
