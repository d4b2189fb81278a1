package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.appinsights.TrackBatch;
import io.vigil.formats.common.JsonRecords;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code POST /v2/track} and {@code /v2.1/track}, the Application Insights ingestion ("Breeze")
 * endpoints that the SDKs and the Azure Monitor OpenTelemetry exporter send to. The body is a JSON array
 * or newline-delimited envelopes, optionally gzip ({@code Content-Encoding: gzip}); each envelope is
 * authenticated by its {@code iKey}. The answer is Breeze's: {@code {"itemsReceived","itemsAccepted",
 * "errors":[{"index","statusCode","message"}]}} with 200 when everything was accepted, 206 when part was,
 * 400 when nothing was (the exporter retries only items whose status is retryable, so refused items get
 * 400). See "Application Insights telemetry data model" and the exporter's response handling in
 * Azure/azure-sdk-for-java (azure-monitor-opentelemetry-autoconfigure, {@code TelemetryItemExporter}).
 */
final class AppInsightsEndpoint {
    static final String INPUT = "appinsights";
    static final List<String> PATHS = List.of("/v2/track", "/v2.1/track");

    /** Compressed body limit; Breeze's documented limit is 64 MB per POST. */
    static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

    /** Inflated body limit: a gzip bomb is refused once it inflates past this. */
    static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;

    private static final IngestionRoutes.BodyCodes BODY_CODES =
            new IngestionRoutes.BodyCodes("RequestEntityTooLarge", "the limit of 64 MB per post", "InvalidBody");

    private final InstrumentationKeys keys;
    private final IngestPipeline pipeline;
    private final RateLimiter rates;
    private final Metrics metrics;

    /** Whether the admin opened the endpoint to envelopes of any instrumentation key. */
    private final boolean anonymous;

    AppInsightsEndpoint(
            InstrumentationKeys keys, IngestPipeline pipeline, RateLimiter rates, Metrics metrics, boolean anonymous) {
        this.anonymous = anonymous;
        this.keys = requireNonNull(keys, "keys is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.rates = requireNonNull(rates, "rates is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        metrics.describe(
                "events_rejected_total", "Records refused before parsing (authentication), per input and reason");
    }

    /**
     * The rate limit is the endpoint's as a whole: the instrumentation key is inside the body, and the body
     * is what a limit should spare the server from reading.
     */
    boolean handle(HttpExchange exchange) throws IOException, InterruptedException {
        if (!exchange.request().getMethod().equals("POST")) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    405,
                    "MethodNotAllowed",
                    "Only POST is supported on the track endpoint");
        }
        if (rates.acquire(INPUT, "") instanceof RateLimiter.Decision.Limited limited) {
            return exchange.refuse(
                    RejectReason.RATE_LIMITED,
                    429,
                    "TooManyRequests",
                    "More requests than the server's rate limit; retry after " + limited.retryAfterSeconds() + " s",
                    limited.retryAfterSeconds());
        }
        byte[] bytes;
        switch (exchange.readBody(MAX_BODY_BYTES)) {
            case HttpExchange.Body.Refusal refusal -> {
                return IngestionRoutes.refuseBody(exchange, refusal, BODY_CODES);
            }
            case HttpExchange.Body.Read read -> bytes = read.bytes();
        }
        boolean gzipHeader = exchange.header("Content-Encoding")
                .map(value -> value.toLowerCase(Locale.ROOT).contains("gzip"))
                .orElse(false);
        if (gzipHeader || HttpExchange.isGzip(bytes)) {
            try {
                switch (exchange.gunzip(bytes, MAX_INFLATED_BYTES)) {
                    case HttpExchange.Body.TooLarge tooLarge -> {
                        return exchange.refuse(
                                RejectReason.OVERSIZE,
                                413,
                                "RequestEntityTooLarge",
                                "The gzip body inflates to more than " + tooLarge.limit() + " bytes");
                    }
                    case HttpExchange.Body.Refusal refusal -> {
                        return IngestionRoutes.refuseBody(exchange, refusal, BODY_CODES);
                    }
                    case HttpExchange.Body.Read read -> bytes = read.bytes();
                }
            } catch (IOException e) {
                return exchange.refuse(
                        RejectReason.INVALID_BODY, 400, "InvalidBody", "The body is not valid gzip: " + e.getMessage());
            }
        }
        List<TrackBatch.Item> items = split(bytes);
        if (items.isEmpty()) {
            return exchange.refuse(RejectReason.INVALID_BODY, 400, "InvalidBody", "The body holds no telemetry item");
        }
        Map<Integer, String> errors = new TreeMap<>();
        List<TrackBatch.Item> accepted = new ArrayList<>(items.size());
        // a request's envelopes nearly always carry the same iKey: the last accepted text is checked first
        String acceptedKey = null;
        for (TrackBatch.Item item : items) {
            if (item instanceof TrackBatch.Envelope envelope) {
                String iKey = envelope.envelope().path("iKey").asText(null);
                if (!anonymous && (iKey == null || !iKey.equals(acceptedKey))) {
                    if (!keys.accepts(iKey)) {
                        // unauthenticated data is refused, not stored
                        errors.put(item.index(), "Invalid instrumentation key");
                        exchange.authenticationFailed("invalid instrumentation key");
                        metrics.counter(
                                        "events_rejected_total",
                                        "input",
                                        INPUT,
                                        "reason",
                                        "invalid_instrumentation_key")
                                .increment();
                        continue;
                    }
                    acceptedKey = iKey;
                }
            }
            accepted.add(item);
        }
        if (!accepted.isEmpty()) {
            TrackBatch batch = new TrackBatch(accepted);
            try {
                pipeline.ingest(INPUT, exchange.request().getHttpURI().getPath(), bytes, Optional.of(batch));
            } catch (VigilException e) {
                return IngestionRoutes.failure(exchange, e);
            }
            errors.putAll(batch.failures());
        }
        int acceptedCount = items.size() - errors.size();
        int status = 206;
        if (errors.isEmpty()) {
            status = 200;
        } else if (acceptedCount == 0) {
            status = 400;
        }
        return exchange.json(status, response(items.size(), acceptedCount, errors));
    }

    /** A JSON array is one document; anything else is one envelope per line, parsed line by line. */
    static List<TrackBatch.Item> split(byte[] body) {
        List<TrackBatch.Item> items = new ArrayList<>();
        int start = firstNonWhitespace(body, 0);
        if (start < 0) {
            return items;
        }
        if (body[start] == '[') {
            try (JsonParser parser = JsonRecords.MAPPER.createParser(body)) {
                JsonNode root = JsonRecords.MAPPER.readTree(parser);
                if (parser.nextToken() != null) {
                    throw new IOException("content after the top-level array");
                }
                ArrayNode array = (ArrayNode) root;
                for (int i = 0; i < array.size(); i++) {
                    JsonNode element = array.get(i);
                    if (element instanceof ObjectNode envelope) {
                        items.add(new TrackBatch.Envelope(i, envelope));
                    } else {
                        items.add(notAnObject(i, element.toString().getBytes(UTF_8)));
                    }
                }
            } catch (IOException | ClassCastException e) {
                items.clear();
                items.add(new TrackBatch.Malformed(
                        0, body, DeadLetterReason.INVALID_JSON, "Invalid JSON: " + e.getMessage()));
            }
            return items;
        }
        // each line is parsed in place (offsets into the body); only a refused line is copied out
        int index = 0;
        int lineStart = 0;
        while (lineStart < body.length) {
            int lineEnd = lineStart;
            while (lineEnd < body.length && body[lineEnd] != '\n') {
                lineEnd++;
            }
            int from = lineStart;
            int length = lineEnd - lineStart;
            lineStart = lineEnd + 1;
            if (firstNonWhitespace(body, from, lineEnd) < 0) {
                continue;
            }
            try (JsonParser parser = JsonRecords.MAPPER.createParser(body, from, length)) {
                JsonNode node = JsonRecords.MAPPER.readTree(parser);
                JsonToken after = parser.nextToken();
                if (after != null) {
                    throw new IOException("content after the envelope");
                }
                if (node instanceof ObjectNode envelope) {
                    items.add(new TrackBatch.Envelope(index, envelope));
                } else {
                    items.add(notAnObject(index, Arrays.copyOfRange(body, from, lineEnd)));
                }
            } catch (IOException e) {
                items.add(new TrackBatch.Malformed(
                        index,
                        Arrays.copyOfRange(body, from, lineEnd),
                        DeadLetterReason.INVALID_JSON,
                        "Invalid JSON: " + e.getMessage()));
            }
            index++;
        }
        return items;
    }

    private static TrackBatch.Item notAnObject(int index, byte[] raw) {
        return new TrackBatch.Malformed(
                index, raw, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "Telemetry item is not a JSON object");
    }

    private static int firstNonWhitespace(byte[] bytes, int from) {
        return firstNonWhitespace(bytes, from, bytes.length);
    }

    private static int firstNonWhitespace(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Breeze's answer to a request refused as a whole: no item read, one error carrying the status. */
    static ObjectNode wholeRequestError(int status, String message) {
        return response(0, 0, Map.of(0, message), status);
    }

    static ObjectNode response(int received, int accepted, Map<Integer, String> errors) {
        return response(received, accepted, errors, 400);
    }

    private static ObjectNode response(int received, int accepted, Map<Integer, String> errors, int status) {
        ObjectNode body = HttpExchange.JSON.createObjectNode();
        body.put("itemsReceived", received);
        body.put("itemsAccepted", accepted);
        ArrayNode list = body.putArray("errors");
        errors.forEach((index, message) -> {
            ObjectNode error = list.addObject();
            error.put("index", index);
            error.put("statusCode", status);
            error.put("message", message);
        });
        return body;
    }
}
