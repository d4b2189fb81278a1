package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.metrics.Metrics;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to what Jetty refuses before any route sees it (headers larger than the limit: 431, a
 * request line or headers that are not HTTP: 400, a request Jetty timed out: 408) and to failures no route
 * answered: the Azure error shape {@code {"error":{"code","message"}}} instead of Jetty's HTML page, so a
 * client is told why in the same form as by every API. Counted as {@code http_requests_total{route="error"}}.
 */
final class JsonErrorHandler implements Request.Handler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Metrics metrics;
    private final int maxHeaderBytes;

    JsonErrorHandler(Metrics metrics, int maxHeaderBytes) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        if (request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException failure) {
            status = failure.getCode();
            response.setStatus(status);
            if (message == null) {
                message = failure.getReason();
            }
        }
        metrics.counter("http_requests_total", "route", "error", "status", Integer.toString(status))
                .increment();
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code(status));
        error.put("message", message(status, message));
        byte[] bytes = (body + "\n").getBytes(UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(bytes.length));
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    /** The status's reason phrase as one word, as Azure writes its error codes: {@code RequestHeaderFieldsTooLarge}. */
    static String code(int status) {
        String reason = HttpStatus.getMessage(status);
        StringBuilder code = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                code.append(c);
            }
        }
        return code.toString();
    }

    private String message(int status, String detail) {
        return switch (status) {
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 ->
                "The request line and headers are larger than the server's limit of " + maxHeaderBytes + " bytes.";
            case HttpStatus.REQUEST_TIMEOUT_408 -> "The request did not arrive within the server's timeouts.";
            default -> {
                if (detail == null || detail.isBlank()) {
                    yield HttpStatus.getMessage(status) + ".";
                }
                yield detail;
            }
        };
    }
}
