/**
 * The backend SPI: what a loop shim implements so that guests can run on its loop.
 *
 * <p>It is readiness-based, like libwebsockets' event-lib ops: the guest core does its own
 * non-blocking reads and writes on {@code java.nio} channels; a backend only
 * <ul>
 *   <li>watches channels for readiness ({@link io.guestloop.spi.LoopThread#register}),</li>
 *   <li>keeps one timer per thread ({@link io.guestloop.spi.LoopThread#armTimer}),</li>
 *   <li>wakes the loop from any thread ({@link io.guestloop.spi.LoopThread#wakeup}),</li>
 *   <li>and says whether the caller is on its loop thread ({@link io.guestloop.spi.LoopThread#inLoop}).</li>
 * </ul>
 *
 * <p><b>Threading.</b> {@link io.guestloop.spi.LoopThread#wakeup()} is the only method of this
 * package a backend must accept from any thread ({@code LoopOpsProvider} methods,
 * {@link io.guestloop.spi.LoopOps#close()} and {@link io.guestloop.spi.LoopThread#start} are called
 * once, from the thread that builds or closes the context). Every other method is called on the
 * loop thread it belongs to, and every callback is delivered on it, one at a time.
 *
 * <p>The conformance kit ({@code guestloop-tck}) checks all of this; a shim author proves a shim by
 * extending its abstract test classes.
 */
package io.guestloop.spi;
