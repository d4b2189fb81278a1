package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request to an ingestion endpoint: bounded body reading, gzip with a cap, and counted replies. */
final class HttpExchange {
    static final ObjectMapper JSON = new ObjectMapper();

    /** How much of an oversize body is read and dropped before answering 413. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Metrics metrics;
    private final String route;

    HttpExchange(Request request, Response response, Callback callback, Metrics metrics, String route) {
        this.request = requireNonNull(request, "request is null");
        this.response = requireNonNull(response, "response is null");
        this.callback = requireNonNull(callback, "callback is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.route = requireNonNull(route, "route is null");
    }

    Request request() {
        return request;
    }

    /** A request header, empty when absent or blank. */
    Optional<String> header(String name) {
        String value = request.getHeaders().get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** What reading a body gave: its bytes, or the fact that it is larger than allowed. */
    sealed interface Body permits Body.Read, Body.TooLarge {
        record Read(byte[] bytes) implements Body {}

        record TooLarge(long limit) implements Body {}
    }

    /**
     * Reads the whole body, stopping as soon as it passes {@code limit}.
     */
    Body readBody(long limit) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            Body body = readCapped(in, limit);
            if (body instanceof Body.TooLarge) {
                // read (and drop) a bounded rest, so a client that sends its whole body before reading
                // the answer gets the 413 instead of a reset connection
                drain(in, limit + DRAIN_BYTES);
            }
            return body;
        }
    }

    private static void drain(InputStream in, long maxBytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while (total < maxBytes && (read = in.read(buffer)) >= 0) {
            total += read;
        }
    }

    /** Inflates a gzip body, refusing more than {@code limit} inflated bytes (a gzip bomb stops early). */
    static Body gunzip(byte[] compressed, long limit) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return readCapped(in, limit);
        }
    }

    static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b;
    }

    private static Body readCapped(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (out.size() + (long) read > limit) {
                return new Body.TooLarge(limit);
            }
            out.write(buffer, 0, read);
        }
        return new Body.Read(out.toByteArray());
    }

    /** Replies with a JSON body. */
    boolean json(int status, ObjectNode body) {
        return bytes(status, "application/json; charset=utf-8", (body.toString() + "\n").getBytes(UTF_8));
    }

    /** Replies with no body (Content-Length: 0). */
    boolean empty(int status) {
        return bytes(status, null, new byte[0]);
    }

    /** Replies 503 with Retry-After, for back-pressure. */
    boolean overloaded(ObjectNode body, int retryAfterSeconds) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        return json(503, body);
    }

    void header(HttpHeader name, String value) {
        response.getHeaders().put(name, value);
    }

    private boolean bytes(int status, String contentType, byte[] body) {
        metrics.counter("http_requests_total", "route", route, "status", Integer.toString(status))
                .increment();
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
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
