/**
 * The program that {@code ModulePathTest} runs in a child JVM: a guest on one backend, from the
 * module path. It requires the api and the hosts' own loops, and none of the backends but legacy and
 * executor (whose loop and host value it creates): nio, netty and vertx are found through their
 * {@code provides} clauses.
 */
module io.guestloop.modulepath {
    requires io.guestloop;
    requires io.guestloop.example.legacy;
    requires io.guestloop.executor;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.vertx.core;

    uses io.guestloop.spi.LoopOpsProvider;

    // Counts the watchdog's reports, so that the program waits for them instead of sleeping.
    provides java.lang.System.LoggerFinder with io.guestloop.modulepath.WatchdogReports;
}
