/**
 * The backend SPI: what a loop shim implements so that guests can run on its loop.
 *
 * <p>It is readiness-based, like libwebsockets' event-lib ops: the guest core does its own
 * non-blocking reads and writes on {@code java.nio} channels; a backend only watches channels,
 * keeps one timer per thread, wakes its loop and says whether the caller is on the loop thread.
 * The core wraps every backend and keeps the promises a shim would otherwise repeat: it checks the
 * calling thread and names both threads, checks interest sets against {@code validOps()}, refuses
 * closed channels, merges wake-ups and never lets them starve readiness or timers, reports only the
 * operations still asked for, delivers nothing after a cancel or a close (not even readiness the
 * loop collected earlier in the same turn), catches what escapes a callback, and never calls
 * {@link io.guestloop.spi.LoopOps#close()} from inside a callback.
 *
 * <h2>Threading</h2>
 * <table>
 *   <caption>Who calls what, and on which thread</caption>
 *   <tr><th>method</th><th>called by</th><th>on which thread</th></tr>
 *   <tr><td>{@code LoopOpsProvider}: every method</td><td>the core</td><td>any thread (the one that builds the context)</td></tr>
 *   <tr><td>{@code LoopOps.threads()}, {@code channelProvider()}</td><td>the core</td><td>any thread</td></tr>
 *   <tr><td>{@code LoopOps.close()}</td><td>the core, once</td><td>any thread, never inside one of the backend's callbacks</td></tr>
 *   <tr><td>{@code LoopOps.run()}</td><td>the application, through {@code GuestContext.run()}</td><td>the thread that becomes the loop</td></tr>
 *   <tr><td>{@code LoopThread.inLoop()}</td><td>the core</td><td>any thread</td></tr>
 *   <tr><td>{@code LoopThread.wakeup()}</td><td>the core</td><td>any thread, at most once until the loop has polled</td></tr>
 *   <tr><td>{@code LoopThread.start(ThreadEvents)}</td><td>the core, once</td><td>the thread that builds the context</td></tr>
 *   <tr><td>{@code LoopThread.register}, {@code armTimer}, {@code disarmTimer}, {@code guestFailed}</td><td>the core</td><td>the loop thread</td></tr>
 *   <tr><td>{@code Registration.interestOps(int)}, {@code cancel()}</td><td>the core</td><td>the loop thread</td></tr>
 *   <tr><td>{@code ReadyListener.onReady}, every {@code ThreadEvents} method</td><td>the backend</td><td>the loop thread, one callback at a time</td></tr>
 * </table>
 *
 * <p>The conformance kit ({@code guestloop-tck}) checks a backend against all of this through the
 * core; a shim author proves a shim by extending its abstract test classes.
 */
package io.guestloop.spi;
