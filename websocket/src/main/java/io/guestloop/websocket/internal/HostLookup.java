package io.guestloop.websocket.internal;

import io.guestloop.Mailbox;
import io.guestloop.ServiceThread;
import io.guestloop.Timer;
import io.guestloop.websocket.CloseCode;
import io.guestloop.websocket.WebSocketException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a host name into an address without blocking the loop: the lookup ({@link InetAddress}'s,
 * which blocks on DNS) runs on a resolver executor, and its answer comes back to the service
 * thread through a {@link Mailbox}, the guest's one door in from other threads. A literal IPv4 or
 * bracketed IPv6 address is parsed on the spot, with no lookup at all.
 *
 * <p><b>Threading:</b> {@link #lookUp} on the service thread it is given, which is also where the
 * returned future completes; {@link #literal} and {@link #sharedResolver} from any thread.
 */
public final class HostLookup {

    private HostLookup() {
    }

    /**
     * The default resolver: up to four daemon threads, made when needed and let go after ten idle
     * seconds. Never a loop thread.
     */
    public static Executor sharedResolver() {
        return Shared.POOL;
    }

    /**
     * Looks {@code host} up on {@code resolver} and completes, on {@code thread}, with its address,
     * or with a {@link WebSocketException} when it has none, the lookup fails, the resolver refuses
     * the task, or no answer comes within {@code timeout}. Call on {@code thread}.
     */
    public static CompletableFuture<InetAddress> lookUp(ServiceThread thread, String host, Executor resolver, Duration timeout) {
        CompletableFuture<InetAddress> result = new CompletableFuture<>();
        Mailbox<Runnable> back = Mailbox.open(thread, Runnable::run); // one answer: bounded by construction
        Timer deadline = thread.schedule(timeout, () -> {
            back.close();
            result.completeExceptionally(new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                    "no address for host '" + host + "' within " + timeout + " (the lookup is still running on the resolver)", null));
        });
        try {
            resolver.execute(() -> {
                InetAddress address = null;
                Throwable failure = null;
                try {
                    address = InetAddress.getByName(host);
                } catch (UnknownHostException e) {
                    failure = e;
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                InetAddress found = address;
                Throwable failed = failure;
                if (thread.context().closed().toCompletableFuture().isDone()) {
                    result.completeExceptionally(new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                            "the guest context closed while host '" + host + "' was being looked up", null));
                    return;
                }
                // False when the deadline already closed the mailbox: the result has failed then.
                back.post(() -> {
                    back.close();
                    deadline.cancel();
                    if (failed != null) {
                        result.completeExceptionally(new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                                "cannot resolve host '" + host + "': " + failed.getMessage(), failed));
                    } else {
                        result.complete(found);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            back.close();
            deadline.cancel();
            result.completeExceptionally(new WebSocketException(CloseCode.ABNORMAL_CLOSURE, 0,
                    "cannot look host '" + host + "' up: the resolver refused the task (" + e.getMessage() + ")", e));
        }
        return result;
    }

    /**
     * {@code host} as an address when it is a literal (dotted-quad IPv4, or IPv6 in brackets as a
     * URI holds it), parsed without any lookup; null for a name, which must be looked up.
     */
    public static InetAddress literal(String host) {
        if (host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']') {
            try {
                // A bracketed host is an IPv6 literal or an error; InetAddress never looks it up.
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address", e);
            }
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(host, bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }

    private static final class Shared {
        static final ThreadPoolExecutor POOL;

        static {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory daemons = r -> {
                Thread t = new Thread(r, "guestloop-websocket-resolver-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            POOL = new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemons);
            POOL.allowCoreThreadTimeOut(true);
        }
    }
}
