package io.guestloop.netty;

import io.guestloop.ConnectionHandler;
import io.guestloop.GuestContext;
import io.guestloop.spi.LoopOps;
import io.guestloop.spi.LoopOptions;
import io.guestloop.tck.Timeouts;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;

import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the backend is found and which host loops it takes or refuses.
 *
 * <p><b>Threading:</b> test thread only.
 */
class NettyLoopOpsProviderTest {

    private final NettyLoopOpsProvider provider = new NettyLoopOpsProvider();

    @Test
    void aNettyGroupSelectsThisBackendWithoutNamingIt() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            GuestContext context = GuestContext.builder().hostLoop(group).build();
            assertEquals("netty", context.backendName());
            assertEquals(2, context.serviceThreads().size(), "one service thread per loop of the group");
            Timeouts.await(context.close(), "the context to close");
            assertFalse(group.isShuttingDown(), "closing the guest shut the host group down");
        } finally {
            shutdown(group);
        }
    }

    @Test
    void aSingleNettyLoopSelectsThisBackendAndGivesOneThread() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(3, NioIoHandler.newFactory());
        try {
            GuestContext context = GuestContext.builder().hostLoop(group.next()).build();
            assertEquals("netty", context.backendName());
            assertEquals(1, context.serviceThreads().size());
            Timeouts.await(context.close(), "the context to close");
        } finally {
            shutdown(group);
        }
    }

    @Test
    void priorityBeatsTheBuiltInNio() {
        assertTrue(provider.priority() > 0, "priority " + provider.priority());
        assertEquals("netty", provider.name());
    }

    @Test
    void serviceThreadsTakesTheFirstLoopsInIterationOrder() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
        try {
            List<EventExecutor> loops = new ArrayList<>();
            group.forEach(loops::add);
            NettyLoopOps ops = (NettyLoopOps) provider.create(new LoopOptions(group, 2, false));
            assertEquals(2, ops.threads().size());
            assertEquals(loops.get(0), ops.threads().get(0).loop());
            assertEquals(loops.get(1), ops.threads().get(1).loop());
            Timeouts.await(ops.close(), "close");
        } finally {
            shutdown(group);
        }
    }

    @Test
    void askingForMoreThreadsThanTheGroupHasFailsClearly() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> provider.create(new LoopOptions(group, 3, false)));
            assertTrue(e.getMessage().contains("asked for 3") && e.getMessage().contains("has only 2"), e.getMessage());
        } finally {
            shutdown(group);
        }
    }

    @Test
    void aLocalLoopIsRefusedWithAMessageNamingIt() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            assertTrue(provider.accepts(group), "accepted so that create() can explain the refusal");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(LoopOptions.on(group)));
            assertTrue(e.getMessage().contains("a local (in-VM) loop"), e.getMessage());
            assertTrue(e.getMessage().contains("NioIoHandler") && e.getMessage().contains("EpollIoHandler"),
                    "the message says what to use instead: " + e.getMessage());
        } finally {
            shutdown(group);
        }
    }

    @Test
    void anEpollGroupSelectsThisBackendWithNativeChannels() {
        NativeTransports.requireEpoll();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        try {
            GuestContext context = GuestContext.builder().hostLoop(group).build();
            assertEquals("netty", context.backendName());
            assertEquals(2, context.serviceThreads().size());
            assertSame(NativeChannels.INSTANCE, context.channelProvider(), "the core opens sockets the epoll loop can watch");
            Timeouts.await(context.close(), "the context to close");
        } finally {
            shutdown(group);
        }
    }

    @Test
    void anIoUringGroupSelectsThisBackendWithNativeChannels() {
        NativeTransports.requireIoUring();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        try {
            GuestContext context = GuestContext.builder().hostLoop(group).build();
            assertEquals("netty", context.backendName());
            assertSame(NativeChannels.INSTANCE, context.channelProvider());
            Timeouts.await(context.close(), "the context to close");
        } finally {
            shutdown(group);
        }
    }

    @Test
    void aNioGroupKeepsTheJdksChannels() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            NettyLoopOps ops = (NettyLoopOps) provider.create(LoopOptions.on(group));
            assertSame(SelectorProvider.provider(), ops.channelProvider());
            Timeouts.await(ops.close(), "close");
        } finally {
            shutdown(group);
        }
    }

    @Test
    void adoptingAJdkChannelOnAnEpollLoopFailsSayingWhatToUse() throws Exception {
        NativeTransports.requireEpoll();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (Pipe.SourceChannel jdkPipe = Pipe.open().source()) {
            GuestContext context = GuestContext.builder().hostLoop(group).build();
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            group.next().execute(() -> {
                try {
                    context.serviceThreads().get(0).adopt(jdkPipe, new ConnectionHandler() { });
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });
            Throwable e = Timeouts.await(refused, "adopt on the loop thread");
            assertInstanceOf(IllegalArgumentException.class, e);
            assertTrue(e.getMessage().contains("channelProvider()"), e.getMessage());
            Timeouts.await(context.close(), "the context to close");
        } finally {
            shutdown(group);
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void aGroupThatCannotDoIoIsRefused() {
        EventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(LoopOptions.on(group)));
            assertTrue(e.getMessage().contains("cannot watch sockets"), e.getMessage());
        } finally {
            shutdown(group);
        }
    }

    @Test
    void aGroupAlreadyShuttingDownIsRefused() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        shutdown(group);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider.create(LoopOptions.on(group)));
        assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
    }

    @Test
    void runningOnTheCallersThreadIsRefused() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertThrows(IllegalArgumentException.class, () -> provider.create(new LoopOptions(group, 1, true)));
        } finally {
            shutdown(group);
        }
    }

    @Test
    void otherHostLoopsAreNotAccepted() {
        assertFalse(provider.accepts(null));
        assertFalse(provider.accepts(new Object()));
    }

    @Test
    void describeNamesWhatItAcceptsAndTheJar() {
        assertTrue(provider.describe().startsWith("netty:"), provider.describe());
        assertTrue(provider.describe().contains("EventLoopGroup"), provider.describe());
        assertTrue(provider.describe().contains("guestloop-backend-netty"), provider.describe());
    }

    private static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
