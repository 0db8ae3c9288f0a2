/**
 * The guest core's TLS layer: an {@link javax.net.ssl.SSLEngine} driven between a connection's
 * socket and its handler ({@link io.guestloop.internal.tls.TlsTransport}), the engines set up from
 * the public settings ({@link io.guestloop.internal.tls.EngineSetup}), the SNI name read from a
 * ClientHello ({@link io.guestloop.internal.tls.ClientHelloSni}), the network buffers a service
 * thread shares ({@link io.guestloop.internal.tls.TlsBuffers}) and the pool for delegated tasks
 * ({@link io.guestloop.internal.tls.DelegatedTasks}). Not exported.
 *
 * <p><b>Threading:</b> everything runs on the owning connection's service thread, except the
 * delegated tasks, which run on their executor and hand back through the thread's door.
 */
package io.guestloop.internal.tls;
