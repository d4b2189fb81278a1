package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.http.AuthFailureLog;
import io.vigil.app.http.HttpLimits;
import io.vigil.metrics.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request to an ingestion endpoint: its body read within the limits (size, the shared in-flight
 * budget, the idle timeout and minimum rate), gzip inflated with a cap, and every answer counted; a
 * refusal also as {@code requests_rejected_total} with its reason, in the endpoint's own error shape.
 * {@link #close} gives the request's share of the body budget back once it is answered.
 */
final class HttpExchange implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** How much of a refused body is read and dropped before answering, so the answer is not lost in a reset. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;

    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /**
     * A body left unread by an answer decided from the headers alone (401, 429, …) is read and dropped up to
     * this size, so that the connection stays usable for the sender's next request; a larger one closes it.
     */
    static final long UNREAD_BODY_DRAIN_BYTES = 64 * 1024;

    /** An endpoint's error body for a status, an Azure error code and a message. */
    @FunctionalInterface
    interface ErrorShape {
        ObjectNode body(int status, String code, String message);
    }

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Metrics metrics;
    private final String input;
    private final ErrorShape shape;
    private final BodyBudget budget;
    private final HttpLimits limits;
    private final AuthFailureLog authFailures;
    private long reservedBytes;
    private String source = "";
    private boolean bodyTaken;

    HttpExchange(
            Request request,
            Response response,
            Callback callback,
            Metrics metrics,
            String input,
            ErrorShape shape,
            BodyBudget budget,
            HttpLimits limits,
            AuthFailureLog authFailures) {
        this.request = requireNonNull(request, "request is null");
        this.response = requireNonNull(response, "response is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.input = requireNonNull(input, "input is null");
        this.shape = requireNonNull(shape, "shape is null");
        this.budget = requireNonNull(budget, "budget is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.authFailures = requireNonNull(authFailures, "authFailures is null");
    }

    Request request() {
        return request;
    }

    /**
     * The endpoint within the input the request is for, once known (a DCR stream); it labels the
     * request's rejection. Only configured endpoints may be named, never text from an unknown sender.
     */
    void source(String knownSource) {
        this.source = requireNonNull(knownSource, "knownSource is null");
    }

    /** A request header, empty when absent or blank. */
    Optional<String> header(String name) {
        String value = request.getHeaders().get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** The Content-Length the request declares, empty for a chunked body. */
    Optional<Long> declaredLength() {
        long length = request.getLength();
        if (length < 0) {
            return Optional.empty();
        }
        return Optional.of(length);
    }

    /** What reading a body gave: its bytes, or why they were not read whole. */
    sealed interface Body permits Body.Read, Body.Refusal {
        record Read(byte[] bytes) implements Body {}

        /** A body not read whole; each endpoint answers each kind in its own shape. */
        sealed interface Refusal extends Body permits Body.TooLarge, Body.OverBudget, Body.Incomplete, Body.TimedOut {}

        /** Larger than {@code limit}: the endpoint's, or the whole in-flight budget's if that is smaller. */
        record TooLarge(long limit) implements Refusal {}

        /** The in-flight body budget cannot take it now. */
        record OverBudget(long budget) implements Refusal {}

        /** The sender ended the body after {@code received} of the {@code declared} bytes. */
        record Incomplete(long received, long declared) implements Refusal {}

        /** The body stopped for the idle timeout or arrived below the minimum rate. */
        record TimedOut(long received, Duration elapsed) implements Refusal {}
    }

    /**
     * Reads the whole body within {@code limit} bytes, the body budget and the time limits. A body whose
     * Content-Length is too large, or that the budget cannot take, is refused before a byte is read; a
     * chunked body is counted against both as it arrives. A refused body is read on and dropped (bounded),
     * so a sender that writes its whole body before reading gets the answer rather than a reset.
     */
    Body readBody(long limit) throws IOException {
        bodyTaken = true;
        long effectiveLimit = Math.min(limit, budget.capacity());
        Optional<Long> declared = declaredLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared.isPresent() && declared.get() > effectiveLimit) {
                drain(in, effectiveLimit + DRAIN_BYTES);
                return new Body.TooLarge(effectiveLimit);
            }
            if (declared.isPresent() && !reserve(declared.get())) {
                drain(in, declared.get());
                return new Body.OverBudget(budget.capacity());
            }
            // a declared body is read into an array of its length (reserved above), so it is held once
            Sink sink = declared.map(length -> (Sink) new FixedSink((int) (long) length))
                    .orElseGet(GrowingSink::new);
            byte[] buffer = new byte[READ_BUFFER_BYTES];
            long started = System.nanoTime();
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (IOException e) {
                    if (isTimeout(e)) {
                        return new Body.TimedOut(sink.size(), Duration.ofNanos(System.nanoTime() - started));
                    }
                    if (e instanceof EOFException) {
                        return new Body.Incomplete(sink.size(), declared.orElse(-1L));
                    }
                    throw e;
                }
                if (read < 0) {
                    break;
                }
                if (sink.size() + (long) read > declared.orElse(effectiveLimit)) {
                    // more than declared cannot come from Jetty; more than the limit from a chunked body
                    drain(in, effectiveLimit + DRAIN_BYTES);
                    return new Body.TooLarge(effectiveLimit);
                }
                if (declared.isEmpty() && !reserve(read)) {
                    drain(in, effectiveLimit);
                    return new Body.OverBudget(budget.capacity());
                }
                sink.write(buffer, read);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                if (belowMinimumRate(sink.size(), elapsed)) {
                    return new Body.TimedOut(sink.size(), elapsed);
                }
            }
            if (declared.isPresent() && sink.size() != declared.get()) {
                return new Body.Incomplete(sink.size(), declared.get());
            }
            return new Body.Read(sink.bytes());
        }
    }

    /** Where a body's bytes go while it is read. */
    private sealed interface Sink permits FixedSink, GrowingSink {
        int size();

        void write(byte[] bytes, int length);

        byte[] bytes();
    }

    /** A body of a declared length, into an array of exactly that length: no copy when it is done. */
    private static final class FixedSink implements Sink {
        private final byte[] bytes;
        private int size;

        FixedSink(int length) {
            this.bytes = new byte[length];
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void write(byte[] from, int length) {
            System.arraycopy(from, 0, bytes, size, length);
            size += length;
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }
    }

    /** A chunked body, whose length is known only at its end. */
    private static final class GrowingSink implements Sink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);

        @Override
        public int size() {
            return out.size();
        }

        @Override
        public void write(byte[] from, int length) {
            out.write(from, 0, length);
        }

        @Override
        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /**
     * A body may take the idle timeout plus one second per {@code --http-min-body-rate} bytes it has
     * brought: a slow start is allowed, a trickle is not.
     */
    private boolean belowMinimumRate(long received, Duration elapsed) {
        if (limits.minBodyBytesPerSecond() == 0) {
            return false;
        }
        Duration allowed = limits.idleTimeout().plusMillis(received * 1000 / limits.minBodyBytesPerSecond());
        return elapsed.compareTo(allowed) > 0;
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private boolean reserve(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        reservedBytes += bytes;
        return true;
    }

    private static void drain(InputStream in, long maxBytes) {
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        long total = 0;
        try {
            int read;
            while (total < maxBytes && (read = in.read(buffer)) >= 0) {
                total += read;
            }
        } catch (IOException e) {
            // the sender went away or stalled: the answer is sent if the connection still takes it
        }
    }

    /**
     * Inflates a gzip body, refusing more than {@code limit} inflated bytes (a gzip bomb stops early) and
     * counting the inflated bytes against the body budget as they grow.
     */
    Body gunzip(byte[] compressed, long limit) throws IOException {
        long effectiveLimit = Math.min(limit, budget.capacity());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(compressed.length * 4, 16_384));
            byte[] buffer = new byte[READ_BUFFER_BYTES];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (out.size() + (long) read > effectiveLimit) {
                    return new Body.TooLarge(effectiveLimit);
                }
                if (!reserve(read)) {
                    return new Body.OverBudget(budget.capacity());
                }
                out.write(buffer, 0, read);
            }
            return new Body.Read(out.toByteArray());
        }
    }

    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b;
    }

    /** Replies with a JSON body. */
    boolean json(int status, ObjectNode body) {
        return bytes(status, "application/json; charset=utf-8", (body.toString() + "\n").getBytes(UTF_8));
    }

    /** Replies with no body (Content-Length: 0). */
    boolean empty(int status) {
        return bytes(status, null, new byte[0]);
    }

    /**
     * Refuses the request as a whole in the endpoint's error shape, counted as
     * {@code requests_rejected_total{input,source,reason}}.
     */
    boolean refuse(RejectReason reason, int status, String code, String message) {
        countRejection(reason);
        if (reason == RejectReason.UNAUTHORIZED) {
            authenticationFailed(message);
        }
        return json(status, shape.body(status, code, message));
    }

    /** As {@link #refuse(RejectReason, int, String, String)}, with Retry-After (429, 503). */
    boolean refuse(RejectReason reason, int status, String code, String message, int retryAfterSeconds) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        return refuse(reason, status, code, message);
    }

    /** Logs a failed authentication with the sender's address (rate-limited, see {@link AuthFailureLog}). */
    void authenticationFailed(String why) {
        authFailures.failed(Request.getRemoteAddr(request), input, why);
    }

    /** Counts a refusal whose answer the endpoint builds itself. */
    void countRejection(RejectReason reason) {
        if (source.isEmpty()) {
            metrics.counter("requests_rejected_total", "input", input, "reason", reason.code())
                    .increment();
        } else {
            metrics.counter("requests_rejected_total", "input", input, "source", source, "reason", reason.code())
                    .increment();
        }
    }

    void header(HttpHeader name, String value) {
        response.getHeaders().put(name, value);
    }

    private boolean bytes(int status, String contentType, byte[] body) {
        metrics.counter("http_requests_total", "route", input, "status", Integer.toString(status))
                .increment();
        if (!bodyTaken) {
            settleUnreadBody();
        }
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /**
     * Before an answer that did not read the body: drops a small one, so the connection can carry the next
     * request, and otherwise tells the client the connection closes (RFC 9112 §9.6), so that a client pooling
     * connections does not send its next request into one the server is closing.
     */
    private void settleUnreadBody() {
        bodyTaken = true;
        Optional<Long> declared = declaredLength();
        if (declared.isPresent() && declared.get() == 0) {
            return;
        }
        if (declared.isPresent() && declared.get() <= UNREAD_BODY_DRAIN_BYTES) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                drain(in, declared.get());
            } catch (IOException e) {
                // closing a half-read body: the connection is closed below anyway
            }
            return;
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    /** Gives back the request's share of the body budget. */
    @Override
    public void close() {
        budget.release(reservedBytes);
        reservedBytes = 0;
    }

    /** The Azure Resource Manager error shape, {@code {"error":{"code","message"}}}. */
    static ObjectNode azureError(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return body;
    }
}
