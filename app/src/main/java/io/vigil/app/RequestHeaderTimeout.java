package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vigil.metrics.Metrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * Answers 408 and closes a connection whose next request's headers have not arrived whole within the
 * limit of their first byte: a client that trickles its headers a byte at a time (slowloris) never lets
 * the idle timeout fire, and Jetty has no deadline for headers of its own. It needs no Jetty internals: a
 * connection is watched from its first byte after the previous request (its byte count, read every
 * tenth of the limit) until the request is customised, which Jetty does once its headers are parsed.
 */
final class RequestHeaderTimeout extends AbstractLifeCycle
        implements Connection.Listener, HttpConfiguration.Customizer {
    // a plain answer: nothing is known of the request (no route, no endpoint error shape)
    private static final byte[] TIMEOUT_RESPONSE;

    static {
        byte[] body = ("{\"error\":{\"code\":\"RequestTimeout\",\"message\":\"The request headers did not arrive"
                        + " within the server's header timeout.\"}}\n")
                .getBytes(UTF_8);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(UTF_8);
        TIMEOUT_RESPONSE = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, TIMEOUT_RESPONSE, 0, headBytes.length);
        System.arraycopy(body, 0, TIMEOUT_RESPONSE, headBytes.length, body.length);
    }

    private final long timeoutNanos;
    private final Metrics metrics;
    private final Map<Connection, Watch> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    RequestHeaderTimeout(Duration timeout, Metrics metrics) {
        requireNonNull(timeout, "timeout is null");
        this.timeoutNanos = timeout.toNanos();
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** One connection between requests: where its byte count stood, and when more bytes were first seen. */
    private static final class Watch {
        private boolean handling;
        private boolean expired;
        private long bytesAtRest;
        private long firstByteSeenNanos;

        synchronized void requestStarted() {
            handling = true;
        }

        synchronized void requestEnded(long bytesIn) {
            handling = false;
            bytesAtRest = bytesIn;
            firstByteSeenNanos = 0;
        }

        /** Whether the connection has been receiving one request's headers for longer than the limit. */
        synchronized boolean expire(long bytesIn, long now, long timeoutNanos) {
            if (handling || expired || bytesIn <= bytesAtRest) {
                return false;
            }
            if (firstByteSeenNanos == 0) {
                firstByteSeenNanos = now;
                return false;
            }
            expired = now - firstByteSeenNanos > timeoutNanos;
            return expired;
        }
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("vigil-http-header-timeout")
                .daemon(true)
                .factory());
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), timeoutNanos / 10);
        sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
        watched.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        // the HTTP/1.1 connection (under TLS, the one above the decrypting endpoint), not the TLS one
        if (connection instanceof AbstractMetaDataConnection) {
            watched.put(connection, new Watch());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        Connection connection = request.getConnectionMetaData().getConnection();
        Watch watch = watched.get(connection);
        if (watch != null) {
            watch.requestStarted();
            Request.addCompletionListener(request, failure -> watch.requestEnded(connection.getBytesIn()));
        }
        return request;
    }

    private void sweep() {
        long now = System.nanoTime();
        watched.forEach((connection, watch) -> {
            if (watch.expire(connection.getBytesIn(), now, timeoutNanos)) {
                metrics.counter("http_requests_total", "route", "none", "status", "408")
                        .increment();
                EndPoint endPoint = connection.getEndPoint();
                try {
                    // no response is being written: the connection is between requests, mid-headers
                    endPoint.write(
                            Callback.from(endPoint::close, failure -> endPoint.close(failure)),
                            ByteBuffer.wrap(TIMEOUT_RESPONSE));
                } catch (RuntimeException e) {
                    // a request's headers completed in the same instant and its answer is being written
                    endPoint.close(e);
                }
            }
        });
    }
}
