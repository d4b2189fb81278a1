package io.vigil.forward;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A small syslog receiver on loopback for tests: accepts TCP connections and reads LF-framed or
 * octet-counted messages (RFC 6587) into a list; it can be stopped (every connection reset) and started
 * again on the same port, like a SIEM's collector going down and coming back.
 */
final class SyslogReceiver implements AutoCloseable {
    private final Framing framing;
    private final Optional<SSLContext> tls;
    // a queue, not a copy-on-write list: a throughput run adds tens of thousands
    private final Queue<String> messages = new ConcurrentLinkedQueue<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;

    SyslogReceiver(Framing framing) {
        this(framing, Optional.empty());
    }

    /** A receiver that speaks TLS with {@code tls}'s server certificate (RFC 5425). */
    SyslogReceiver(Framing framing, Optional<SSLContext> tls) {
        this.framing = framing;
        this.tls = tls;
    }

    /** Listens on {@code port} (0 picks one) and returns the port. */
    synchronized int start(int port) throws IOException {
        ServerSocket socket = newServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = socket;
        acceptor = Thread.ofVirtual().start(() -> accept(socket));
        return socket.getLocalPort();
    }

    private ServerSocket newServerSocket() throws IOException {
        if (tls.isPresent()) {
            return tls.get().getServerSocketFactory().createServerSocket();
        }
        return new ServerSocket();
    }

    /** A free loopback port, for a receiver that starts later. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int count() {
        return messages.size();
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits until at least {@code count} messages arrived, or fails after the timeout. */
    List<String> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("received " + messages.size() + " of " + count + " messages: " + messages);
            }
            Thread.sleep(20);
        }
        return messages();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread.ofVirtual().start(() -> read(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read(Socket connection) {
        try (InputStream input = new BufferedInputStream(connection.getInputStream())) {
            while (true) {
                String message = switch (framing) {
                    case LF -> readLine(input);
                    case OCTET_COUNTING -> readCounted(input);
                };
                if (message == null) {
                    return;
                }
                messages.add(message);
            }
        } catch (IOException e) {
            // the connection was reset by stop(): what arrived is kept
        }
    }

    private static String readLine(InputStream input) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = input.read()) != '\n') {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String readCounted(InputStream input) throws IOException {
        int length = 0;
        int b;
        while ((b = input.read()) != ' ') {
            if (b < '0' || b > '9') {
                return null;
            }
            length = length * 10 + (b - '0');
        }
        byte[] message = input.readNBytes(length);
        if (message.length < length) {
            return null;
        }
        return new String(message, StandardCharsets.UTF_8);
    }

    /** Stops listening and resets every connection, as a crashed collector does. */
    synchronized void stop() throws IOException {
        stop(true);
    }

    /** Stops listening and closes every connection: with a reset, or in order (FIN) as a restarted one does. */
    synchronized void stop(boolean reset) throws IOException {
        if (server != null) {
            server.close();
            try {
                acceptor.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
        List<Socket> open = new ArrayList<>(connections);
        connections.clear();
        for (Socket connection : open) {
            if (!connection.isClosed()) {
                if (reset) {
                    connection.setSoLinger(true, 0);
                }
                connection.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
