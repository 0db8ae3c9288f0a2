package io.guestloop.tck;

import io.guestloop.Connection;
import io.guestloop.ConnectionHandler;

import java.nio.ByteBuffer;

/**
 * Writes back whatever it reads, with backpressure: reading pauses while the write queue is over
 * the high-water mark and resumes when it drains, so memory stays bounded whatever the peer does.
 *
 * <p><b>Threading:</b> a guest handler; its methods run on the connection's service thread. One
 * instance may serve any number of connections.
 */
public class EchoHandler implements ConnectionHandler {

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        if (!connection.write(data)) {
            // Only possible if something else filled the queue; reading is paused below so it cannot repeat.
            throw new IllegalStateException("echo write refused on " + connection);
        }
        if (!connection.isWritable()) {
            connection.pauseReading();
        }
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        if (writable) {
            connection.resumeReading();
        }
    }
}
