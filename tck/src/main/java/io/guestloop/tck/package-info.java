/**
 * The conformance kit. A backend proves itself by extending the abstract classes here with a
 * factory; the first layer checks the SPI contract ({@code LoopOps}/{@code LoopThread}), the second
 * runs the guest API over the backend.
 *
 * <p><b>Threading:</b> the kit's classes are JUnit tests; they drive loops from the test thread only
 * through the SPI's thread-safe door ({@code wakeup}) and assert what happened on the loop thread.
 */
package io.guestloop.tck;
