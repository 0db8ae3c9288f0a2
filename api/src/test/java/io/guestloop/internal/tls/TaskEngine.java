package io.guestloop.internal.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;

/** An engine that only hands out the delegated tasks a test gave it; everything else is unsupported. */
final class TaskEngine extends SSLEngine {

    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public Runnable getDelegatedTask() {
        return tasks.poll();
    }

    private static UnsupportedOperationException no() {
        return new UnsupportedOperationException("not part of this test engine");
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
        throw no();
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
        throw no();
    }

    @Override
    public void closeInbound() {
        throw no();
    }

    @Override
    public boolean isInboundDone() {
        throw no();
    }

    @Override
    public void closeOutbound() {
        throw no();
    }

    @Override
    public boolean isOutboundDone() {
        throw no();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        throw no();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        throw no();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        throw no();
    }

    @Override
    public String[] getSupportedProtocols() {
        throw no();
    }

    @Override
    public String[] getEnabledProtocols() {
        throw no();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        throw no();
    }

    @Override
    public SSLSession getSession() {
        throw no();
    }

    @Override
    public void beginHandshake() {
        throw no();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        throw no();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        throw no();
    }

    @Override
    public boolean getUseClientMode() {
        throw no();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        throw no();
    }

    @Override
    public boolean getNeedClientAuth() {
        throw no();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        throw no();
    }

    @Override
    public boolean getWantClientAuth() {
        throw no();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        throw no();
    }

    @Override
    public boolean getEnableSessionCreation() {
        throw no();
    }
}
