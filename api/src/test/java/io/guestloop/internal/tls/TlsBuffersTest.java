package io.guestloop.internal.tls;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsBuffersTest {

    private final TlsBuffers buffers = new TlsBuffers();

    @Test
    void theJdkEngineGetsHeapBuffersItCanEncryptInPlace() throws NoSuchAlgorithmException {
        TlsBuffers.NetworkBuffers network = buffers.network(SSLContext.getDefault().createSSLEngine());
        assertFalse(network.netIn(16_709).isDirect());
        assertFalse(network.netOut(16_709).isDirect());
        assertSame(buffers.network(), network, "before an engine is made, the heap pair");
    }

    @Test
    void anotherEngineGetsDirectBuffersSoNoRecordIsCopiedToNativeMemory() {
        TlsBuffers.NetworkBuffers network = buffers.network(new TaskEngine());
        assertTrue(network.netIn(16_709).isDirect());
        assertTrue(network.netOut(16_709).isDirect());
    }

    @Test
    void eachKindIsOneSharedPairReusedClearedAndGrownForBiggerRecords() {
        TlsBuffers.NetworkBuffers network = buffers.network(new TaskEngine());
        ByteBuffer in = network.netIn(100);
        in.put((byte) 1);
        assertSame(in, network.netIn(100));
        assertEquals(0, network.netIn(100).position());
        assertTrue(network.netIn(40_000).capacity() >= 40_000);
        assertSame(buffers.network(new TaskEngine()), network);
    }
}
