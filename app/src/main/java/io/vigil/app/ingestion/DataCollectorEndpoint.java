package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.workspace.Workspace;
import io.vigil.catalog.TableCatalog;
import io.vigil.formats.datacollector.DataCollectorFormat;
import io.vigil.ingest.IngestPipeline;
import io.vigil.ingest.IngestResult;
import io.vigil.spi.EventStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /api/logs?api-version=2016-04-01}, the HTTP Data Collector API. Request headers, limits,
 * the signature and the return codes follow "Send log data to Azure Monitor by using the HTTP Data
 * Collector API" (learn.microsoft.com/azure/azure-monitor/logs/data-collector-api); errors use that
 * API's own body, {@code {"Error":"<code>","Message":"<text>"}}, as Azure answers it.
 */
final class DataCollectorEndpoint {
    static final String PATH = "/api/logs";
    static final String INPUT = "data_collector";
    static final String API_VERSION = "2016-04-01";

    /** "Maximum of 30 MB per post to Azure Monitor Data Collector API" (data limits). */
    static final long MAX_BODY_BYTES = 30L * 1024 * 1024;

    /** Shared Key requests older or newer than this are refused, as Azure Storage-style SharedKey does. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);

    /** "It can contain only letters, numbers, and the underscore (_) character, and it can't exceed 100 characters." */
    private static final Pattern LOG_TYPE = Pattern.compile("[A-Za-z0-9_]{1,100}");

    private static final IngestionRoutes.BodyCodes BODY_CODES =
            new IngestionRoutes.BodyCodes("RequestEntityTooLarge", "the limit of 30 MB per post", "InvalidDataFormat");

    private final Workspace workspace;
    private final EventStore store;
    private final IngestPipeline pipeline;
    private final RateLimiter rates;
    private final Clock clock;
    /** Whether the admin opened the endpoint to requests without a SharedKey. */
    private final boolean anonymous;

    DataCollectorEndpoint(
            Workspace workspace,
            EventStore store,
            IngestPipeline pipeline,
            RateLimiter rates,
            Clock clock,
            boolean anonymous) {
        this.anonymous = anonymous;
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.store = requireNonNull(store, "store is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.rates = requireNonNull(rates, "rates is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Everything a request's headers decide is checked before its body is read: the signature covers the
     * Content-Length, not the body, so an unsigned or badly signed request costs no body buffer, and a
     * signed one is held to the length it signed.
     */
    boolean handle(HttpExchange exchange) throws IOException, InterruptedException {
        if (!exchange.request().getMethod().equals("POST")) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST, 405, "MethodNotAllowed", "Only POST is supported on /api/logs.");
        }
        String apiVersion = apiVersion(exchange);
        if (!API_VERSION.equals(apiVersion)) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidApiVersion",
                    "The API version specified was not recognized by the service; use api-version=" + API_VERSION
                            + ".");
        }
        Instant now = clock.instant();
        boolean unsigned = anonymous && exchange.header("Authorization").isEmpty();
        if (!unsigned && !signed(exchange, now)) {
            return true;
        }
        Optional<String> contentType = exchange.header("Content-Type");
        if (contentType.isEmpty()) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "MissingContentType",
                    "The content type was not specified; send application/json");
        }
        if (!contentType.get().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidContentType",
                    "The content type must be application/json, not " + contentType.get());
        }
        Optional<String> logType = exchange.header("Log-Type");
        if (logType.isEmpty()) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "MissingLogType",
                    "The value type was not specified: send the Log-Type header");
        }
        if (!LOG_TYPE.matcher(logType.get()).matches()) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidLogType",
                    "The Log-Type '" + logType.get()
                            + "' is invalid: only letters, digits and '_', at most 100 characters");
        }
        if (TableCatalog.isBuiltInName(logType.get() + "_CL")) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidLogType",
                    "The Log-Type '" + logType.get() + "' names the built-in table " + logType.get()
                            + "_CL (table names are case-insensitive): choose another Log-Type");
        }
        if (rates.acquire(INPUT, workspace.workspaceId()) instanceof RateLimiter.Decision.Limited limited) {
            // the documented 429 has no error code; the Data Collector body shape is kept with the status's
            return exchange.refuse(
                    RejectReason.RATE_LIMITED,
                    429,
                    "TooManyRequests",
                    "The workspace sends more requests than the server's rate limit; retry after "
                            + limited.retryAfterSeconds() + " s.",
                    limited.retryAfterSeconds());
        }
        byte[] bytes;
        switch (exchange.readBody(MAX_BODY_BYTES)) {
            case HttpExchange.Body.Refusal refusal -> {
                return IngestionRoutes.refuseBody(exchange, refusal, BODY_CODES);
            }
            case HttpExchange.Body.Read read -> bytes = read.bytes();
        }
        Optional<String> timeField = exchange.header("time-generated-field");
        DataCollectorFormat format = new DataCollectorFormat(logType.get(), timeField, now, store::ensureCustomTable);
        IngestResult result;
        try {
            result = pipeline.ingest(INPUT, PATH + " " + logType.get(), bytes, Optional.of(format));
        } catch (io.vigil.spi.VigilException e) {
            return IngestionRoutes.failure(exchange, e);
        }
        if (format.rejection().isPresent()) {
            // dead-lettered and counted as events_failed_total: not a request rejection as well
            return exchange.json(
                    400,
                    dataCollectorError(
                            "InvalidDataFormat",
                            "Invalid JSON body: " + format.rejection().get()));
        }
        if (result.deadLetters() > 0) {
            return exchange.json(
                    400,
                    dataCollectorError(
                            "InvalidDataFormat",
                            result.deadLetters() + " record(s) were refused: " + result.deadLettersByReason()));
        }
        return exchange.empty(200);
    }

    /** Azure answers every SharedKey failure 403 InvalidAuthorization (the documented return codes). */
    private static boolean unauthorized(HttpExchange exchange, String message) {
        return exchange.refuse(RejectReason.UNAUTHORIZED, 403, "InvalidAuthorization", message);
    }

    /**
     * Whether the request carries a valid SharedKey signature of a current {@code x-ms-date} over its
     * Content-Length; when it does not, the refusal has been sent.
     */
    private boolean signed(HttpExchange exchange, Instant now) {
        Optional<String> authorization = exchange.header("Authorization");
        if (authorization.isEmpty()) {
            unauthorized(exchange, "No Authorization header was specified");
            return false;
        }
        if (!authorization.get().regionMatches(true, 0, "SharedKey ", 0, "SharedKey ".length())) {
            unauthorized(exchange, "An invalid scheme was specified in the Authorization header");
            return false;
        }
        String credential = authorization.get().substring("SharedKey ".length()).trim();
        int colon = credential.indexOf(':');
        if (colon < 0) {
            unauthorized(exchange, "The Authorization header must be 'SharedKey <WorkspaceID>:<Signature>'");
            return false;
        }
        if (!credential.substring(0, colon).equalsIgnoreCase(workspace.workspaceId())) {
            unauthorized(exchange, "An invalid workspace ID was specified in the Authorization header");
            return false;
        }
        Optional<String> date = exchange.header("x-ms-date");
        if (date.isEmpty()) {
            unauthorized(exchange, "No x-ms-date header was specified");
            return false;
        }
        Instant signedAt;
        try {
            signedAt = OffsetDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            unauthorized(exchange, "The x-ms-date header is not an RFC 1123 date: " + date.get());
            return false;
        }
        if (Duration.between(signedAt, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            exchange.refuse(
                    RejectReason.STALE_DATE,
                    403,
                    "InvalidAuthorization",
                    "The x-ms-date header (" + date.get()
                            + ") is more than 15 minutes away from the server's time; check the sender's clock");
            return false;
        }
        Optional<Long> contentLength = exchange.declaredLength();
        if (contentLength.isEmpty()) {
            exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    411,
                    "LengthRequired",
                    "The request has no Content-Length: the SharedKey signature covers it, so the body cannot be"
                            + " sent chunked");
            return false;
        }
        if (!SharedKeySignature.verify(
                workspace.sharedKey(), contentLength.get(), date.get(), credential.substring(colon + 1))) {
            unauthorized(exchange, "An invalid signature was specified in the Authorization header");
            return false;
        }
        return true;
    }

    private static String apiVersion(HttpExchange exchange) {
        String query = exchange.request().getHttpURI().getQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("api-version=")) {
                return pair.substring("api-version=".length());
            }
        }
        return null;
    }

    static ObjectNode dataCollectorError(String code, String message) {
        ObjectNode body = HttpExchange.JSON.createObjectNode();
        body.put("Error", code);
        body.put("Message", message);
        return body;
    }
}
