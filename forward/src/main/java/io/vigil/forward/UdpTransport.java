package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One datagram per message (RFC 5426). UDP confirms nothing: a message sent to a peer that is down is
 * gone, so this transport is at most once; use TCP or TLS where loss matters.
 */
final class UdpTransport implements Transport {
    // the largest UDP payload over IPv4 (RFC 5426 section 3.2 leaves the size to the network)
    static final int MAX_DATAGRAM = 65_507;

    private final InetSocketAddress peer;
    private DatagramSocket socket;
    private boolean closed;

    UdpTransport(InetSocketAddress peer) {
        this.peer = requireNonNull(peer, "peer is null");
    }

    @Override
    public int maxMessageBytes() {
        return MAX_DATAGRAM;
    }

    @Override
    public synchronized void send(List<byte[]> messages) throws IOException {
        if (closed) {
            throw new IOException("the sink is stopping");
        }
        if (socket == null) {
            socket = new DatagramSocket();
        }
        InetSocketAddress resolved = new InetSocketAddress(peer.getHostString(), peer.getPort());
        for (byte[] message : messages) {
            socket.send(new DatagramPacket(message, message.length, resolved));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
