package io.vigil.forward;

import java.io.IOException;
import java.util.List;

/**
 * Carries encoded messages to one peer. {@link #send} returns only once the peer has what the transport
 * can confirm (a datagram sent; a TCP or TLS write flushed), and throws when it could not: the caller
 * sends the whole list again later, so a peer may see a message twice but never miss one.
 */
public interface Transport extends AutoCloseable {
    /** The largest message it can carry; a longer one is dead-lettered, as retrying cannot help it. */
    int maxMessageBytes();

    void send(List<byte[]> messages) throws IOException;

    @Override
    void close();
}
