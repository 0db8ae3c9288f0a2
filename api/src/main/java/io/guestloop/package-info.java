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
 * otherwise ({@link io.guestloop.ServiceThread#cancelService()} and the identity getters excepted).
 * The one door in from other threads is cancel-service: {@link io.guestloop.GuestContext#cancelService()}
 * for every service thread, {@link io.guestloop.ServiceThread#cancelService()} for one. Put work in a
 * thread-safe queue, knock, and drain the queue in
 * {@link io.guestloop.ConnectionHandler#onEventWaitCancelled} (or
 * {@link io.guestloop.Protocol#onEventWaitCancelled}); {@link io.guestloop.Mailbox} does exactly that,
 * on its own thread only. ({@link io.guestloop.GuestContext#close()},
 * {@link io.guestloop.GuestContext#shutdown} and the builder hand their work over to the loop themselves
 * and may be called from any thread.)
 */
package io.guestloop;
