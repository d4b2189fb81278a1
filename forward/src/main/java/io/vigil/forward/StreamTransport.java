package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425, which always counts octets), one connection kept open and
 * opened again after a failure.
 *
 * <p>A TCP write that succeeds proves only that the local kernel took the bytes: the first write after the
 * peer closed its end also succeeds. So before each batch the connection is probed with a short read; a
 * peer that has closed (end of stream or a reset) is reconnected before anything is written. A peer that
 * dies between the probe and the write can still lose that batch's tail silently; that gap is the
 * protocol's (RFC 6587 has no acknowledgement; RELP closes it) and is documented in docs/forwarding.md.
 */
final class StreamTransport implements Transport {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    static final int WRITE_BUFFER = 64 * 1024;
    // messages above this are unusual for syslog receivers; rsyslog's default maximum is 8 KiB
    static final int MAX_MESSAGE = 1024 * 1024;

    private final InetSocketAddress peer;
    private final Framing framing;
    private final Optional<SSLContext> tls;
    private Socket socket;
    private OutputStream output;
    private boolean closed;

    StreamTransport(InetSocketAddress peer, Framing framing, Optional<SSLContext> tls) {
        this.peer = requireNonNull(peer, "peer is null");
        this.framing = requireNonNull(framing, "framing is null");
        this.tls = requireNonNull(tls, "tls is null");
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE;
    }

    @Override
    public synchronized void send(List<byte[]> messages) throws IOException {
        if (closed) {
            throw new IOException("the sink is stopping");
        }
        if (socket != null && peerClosed()) {
            disconnect();
        }
        if (socket == null) {
            connect();
        }
        try {
            for (byte[] message : messages) {
                output.write(framing.frame(message));
            }
            output.flush();
        } catch (IOException e) {
            disconnect();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        try {
            // resolved at each connect, so a receiver whose address changes is found again
            plain.connect(new InetSocketAddress(peer.getHostString(), peer.getPort()), CONNECT_TIMEOUT_MILLIS);
            plain.setKeepAlive(true);
            if (tls.isPresent()) {
                SSLSocket secure = (SSLSocket)
                        tls.get().getSocketFactory().createSocket(plain, peer.getHostString(), peer.getPort(), true);
                SSLParameters parameters = secure.getSSLParameters();
                // RFC 5425 section 5.2: the client checks the server's name against its certificate
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            } else {
                socket = plain;
            }
            output = new BufferedOutputStream(socket.getOutputStream(), WRITE_BUFFER);
        } catch (IOException e) {
            plain.close();
            socket = null;
            throw e;
        }
    }

    /** Whether the peer has closed: a 1 ms read sees end of stream or a reset; a timeout means open. */
    private boolean peerClosed() {
        try {
            socket.setSoTimeout(1);
            InputStream input = socket.getInputStream();
            input.read();
            // end of stream, or a byte, which a syslog receiver never sends: either way start afresh
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void disconnect() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // closing a broken connection: nothing more to learn
        }
        socket = null;
        output = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }
}
