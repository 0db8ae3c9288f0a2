/**
 * The guest API: what a protocol stack is written against so that it runs unchanged on any host
 * loop.
 *
 * <p><b>The threading rule of this whole package.</b> A {@link io.guestloop.GuestContext} runs on one
 * or more service threads, each a thread of the host's loop. Every callback of a connection, timer or
 * protocol runs on the service thread it belongs to, one after another, never concurrently, so guest
 * code needs no lock. Every method of {@link io.guestloop.ServiceThread},
 * {@link io.guestloop.Connection}, {@link io.guestloop.Timer} and {@link io.guestloop.Listener} must be
 * called on the service thread that owns the object and throws {@link io.guestloop.WrongThreadException}
 * otherwise. The one door in from other threads is {@link io.guestloop.GuestContext#cancelService()}:
 * put work in a thread-safe queue, call it, and drain the queue in
 * {@link io.guestloop.ConnectionHandler#onEventWaitCancelled}; {@link io.guestloop.Mailbox} does
 * exactly that. ({@link io.guestloop.GuestContext#close()} and the builder hand their work over to
 * the loop themselves and may be called from any thread.)
 */
package io.guestloop;
