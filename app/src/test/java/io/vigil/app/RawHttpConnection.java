package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client on a plain socket to 127.0.0.1, for what an HTTP client library will not do: send a request a
 * byte at a time, stop halfway, or hold a connection open without a request. What the server sends back
 * is read from the moment the connection opens, on a thread of its own, so an answer that arrives while
 * the client is still writing (a 408, a 413) is kept even if the server then resets the connection.
 */
public final class RawHttpConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> received;
    private final long openedNanos = System.nanoTime();

    private RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        this.received = new CompletableFuture<>();
        // a thread of its own: the common pool may have a single thread on a 2-core machine, and every
        // connection's reader blocks until its server closes
        Thread.ofPlatform()
                .name("raw-http-reader")
                .daemon(true)
                .start(() -> received.complete(readUntilClosed(in, bytes)));
    }

    public static RawHttpConnection open(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        return new RawHttpConnection(socket);
    }

    private static byte[] readUntilClosed(InputStream in, ByteArrayOutputStream bytes) {
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                synchronized (bytes) {
                    bytes.write(buffer, 0, read);
                }
            }
        } catch (IOException e) {
            // a reset after the answer: what arrived before it is the answer
        }
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    /** Writes all of {@code bytes} at once; false if the server had closed the connection. */
    public boolean send(String text) {
        return send(text.getBytes(UTF_8));
    }

    public boolean send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes {@code bytes} one at a time with {@code pause} before each, until all are written, the server
     * closes the connection, or {@code maxDuration} has passed; returns how many were written.
     */
    public int sendSlowly(byte[] bytes, Duration pause, Duration maxDuration) throws InterruptedException {
        long deadline = System.nanoTime() + maxDuration.toNanos();
        for (int i = 0; i < bytes.length; i++) {
            if (System.nanoTime() > deadline || received.isDone()) {
                return i;
            }
            Thread.sleep(pause.toMillis());
            try {
                out.write(bytes[i]);
                out.flush();
            } catch (IOException e) {
                return i;
            }
        }
        return bytes.length;
    }

    /** Half-closes the connection: the server reads the end of the stream, as when a sender stops halfway. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Everything the server sent until it closed the connection, waiting at most {@code timeout}. */
    public String awaitClosedByServer(Duration timeout) throws InterruptedException {
        try {
            return new String(received.get(timeout.toMillis(), TimeUnit.MILLISECONDS), UTF_8);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout);
        } catch (ExecutionException e) {
            throw new AssertionError("reading failed", e.getCause());
        }
    }

    /**
     * The first whole response (status line, headers and a Content-Length body), whether or not the server
     * then closes the connection, waiting at most {@code timeout}.
     */
    public String awaitResponse(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text;
            synchronized (bytes) {
                text = bytes.toString(UTF_8);
            }
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                int length = contentLength(text.substring(0, headEnd));
                if (text.length() >= headEnd + 4 + length) {
                    return text.substring(0, headEnd + 4 + length);
                }
            }
            if (received.isDone()) {
                return text;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no whole response within " + timeout);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, "Content-Length:".length())) {
                return Integer.parseInt(
                        line.substring("Content-Length:".length()).trim());
            }
        }
        return 0;
    }

    /** Whether the server has closed the connection (everything it sent is then in {@link #awaitClosedByServer}). */
    public boolean closedByServer() {
        return received.isDone();
    }

    /** Time since the connection was opened. */
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - openedNanos);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
