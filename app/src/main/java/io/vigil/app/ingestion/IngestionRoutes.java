package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import io.vigil.app.http.ApiKeys;
import io.vigil.app.http.AuthFailureLog;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.workspace.Workspace;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.spi.EventStore;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Azure-compatible ingestion endpoints: the HTTP Data Collector API ({@code /api/logs}, SharedKey),
 * Application Insights track ({@code /v2/track}, {@code /v2.1/track}, instrumentation key) and the Logs
 * Ingestion API ({@code /dataCollectionRules/…}, bearer API key). Each endpoint authenticates its own
 * way, so the server asks {@link #handles} before its own bearer check. Every answer is sent after the
 * records it acknowledges are committed. The limits every endpoint applies before it reads a body
 * ({@link HttpLimits}: the per-source rate, the body size, the in-flight body budget, the body's time) are
 * held here, shared by the three.
 */
public final class IngestionRoutes {
    private static final Logger LOG = Logger.getLogger(IngestionRoutes.class.getName());

    /** Seconds a sender waits before retrying when ingest is overloaded. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Metrics metrics;
    private final HttpLimits limits;
    private final BodyBudget budget;
    private final AuthFailureLog authFailures;
    private final DataCollectorEndpoint dataCollector;
    private final AppInsightsEndpoint appInsights;
    private final LogsIngestionEndpoint logsIngestion;

    public IngestionRoutes(
            Workspace workspace,
            EventStore store,
            IngestPipeline pipeline,
            ApiKeys keys,
            InstrumentationKeys instrumentationKeys,
            DataCollectionRules rules,
            DcrTransform transform,
            Clock clock,
            Metrics metrics,
            HttpLimits limits,
            AuthFailureLog authFailures) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.authFailures = requireNonNull(authFailures, "authFailures is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.budget = new BodyBudget(limits.maxInFlightBodyBytes(), metrics.gauge("http_body_bytes_in_flight"));
        RateLimiter rates = RateLimiter.of(limits.rateLimit());
        Set<String> anonymous = limits.anonymousInputs();
        this.dataCollector = new DataCollectorEndpoint(
                workspace, store, pipeline, rates, clock, anonymous.contains(DataCollectorEndpoint.INPUT));
        this.appInsights = new AppInsightsEndpoint(
                instrumentationKeys, pipeline, rates, metrics, anonymous.contains(AppInsightsEndpoint.INPUT));
        this.logsIngestion = new LogsIngestionEndpoint(
                keys, rules, transform, store, pipeline, rates, clock, anonymous.contains(LogsIngestionEndpoint.INPUT));
        metrics.describe("http_body_bytes_in_flight", "Request body bytes the ingestion requests hold now (gauge)");
        metrics.describe(
                "requests_rejected_total",
                "Requests refused as a whole before any record was stored, per input and reason");
    }

    /**
     * The routes for the workspace whose store the pipeline writes to, creating the workspace's
     * instrumentation key on first start; data collection rules' transforms run with the KQL engine.
     */
    public static IngestionRoutes forPipeline(
            IngestPipeline pipeline, ApiKeys keys, HttpLimits limits, AuthFailureLog authFailures) {
        EventStore store = pipeline.store();
        try {
            Workspace workspace = Workspace.open(store.dataDir());
            Clock clock = Clock.systemUTC();
            return new IngestionRoutes(
                    workspace,
                    store,
                    pipeline,
                    keys,
                    InstrumentationKeys.loadOrCreate(workspace),
                    DataCollectionRules.of(workspace),
                    new KqlDcrTransform(clock),
                    clock,
                    pipeline.metrics(),
                    limits,
                    authFailures);
        } catch (IOException e) {
            throw new VigilException(
                    StandardErrorCode.INVALID_CONFIGURATION,
                    "cannot read the workspace in " + store.dataDir() + ": " + e.getMessage(),
                    e);
        }
    }

    /** Whether the path is one of the ingestion endpoints. */
    public boolean handles(String path) {
        return path.equals(DataCollectorEndpoint.PATH)
                || AppInsightsEndpoint.PATHS.contains(path)
                || LogsIngestionEndpoint.matches(path);
    }

    /** Handles a request whose path {@link #handles}; never leaves a request without an answer. */
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String input = route(path);
        try (HttpExchange exchange = new HttpExchange(
                request, response, callback, metrics, input, errorShape(input), budget, limits, authFailures)) {
            try {
                if (path.equals(DataCollectorEndpoint.PATH)) {
                    return dataCollector.handle(exchange);
                }
                if (AppInsightsEndpoint.PATHS.contains(path)) {
                    return appInsights.handle(exchange);
                }
                return logsIngestion.handle(exchange, path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return exchange.refuse(
                        RejectReason.OVERLOADED,
                        503,
                        "ServiceUnavailable",
                        "The server is shutting down; retry later.",
                        RETRY_AFTER_SECONDS);
            } catch (IOException e) {
                // the client went away or sent a broken body; answer if the connection still allows it
                return exchange.refuse(
                        RejectReason.INVALID_BODY,
                        400,
                        "InvalidRequest",
                        "Cannot read the request body: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "ingestion request " + path + " failed", e);
                return exchange.refuse(
                        RejectReason.INTERNAL_ERROR,
                        500,
                        "InternalServerError",
                        "The request failed inside the server: " + e.getMessage());
            }
        }
    }

    private static String route(String path) {
        if (path.equals(DataCollectorEndpoint.PATH)) {
            return DataCollectorEndpoint.INPUT;
        }
        if (AppInsightsEndpoint.PATHS.contains(path)) {
            return AppInsightsEndpoint.INPUT;
        }
        return LogsIngestionEndpoint.INPUT;
    }

    private static HttpExchange.ErrorShape errorShape(String input) {
        if (input.equals(DataCollectorEndpoint.INPUT)) {
            return (status, code, message) -> DataCollectorEndpoint.dataCollectorError(code, message);
        }
        if (input.equals(AppInsightsEndpoint.INPUT)) {
            return (status, code, message) -> AppInsightsEndpoint.wholeRequestError(status, message);
        }
        return (status, code, message) -> HttpExchange.azureError(code, message);
    }

    /**
     * Answers a pipeline failure: back-pressure and shutdown are 503 with Retry-After, user errors 400,
     * anything else 500, in the endpoint's error shape.
     */
    static boolean failure(HttpExchange exchange, VigilException e) {
        return switch (e.errorCode()) {
            case INGEST_OVERLOADED ->
                exchange.refuse(
                        RejectReason.OVERLOADED,
                        503,
                        "ServiceUnavailable",
                        "Ingest is overloaded: " + e.getMessage() + "; retry later.",
                        RETRY_AFTER_SECONDS);
            case INGEST_CLOSED ->
                exchange.refuse(
                        RejectReason.OVERLOADED,
                        503,
                        "ServiceUnavailable",
                        "Ingest is stopping: " + e.getMessage() + "; retry later.",
                        RETRY_AFTER_SECONDS);
            case INVALID_ARGUMENT, TABLE_NOT_FOUND, INVALID_CONFIGURATION ->
                exchange.refuse(RejectReason.INVALID_REQUEST, 400, "InvalidRequest", e.getMessage());
            case UNAUTHENTICATED ->
                exchange.refuse(RejectReason.UNAUTHORIZED, 401, "InvalidAuthorization", e.getMessage());
            case FORBIDDEN -> exchange.refuse(RejectReason.FORBIDDEN, 403, "InsufficientAccessError", e.getMessage());
            // a DCR transform runs in memory under no query timeout; a timeout here is still the server's fault
            case STORE_FAILURE,
                    INTERNAL_ERROR,
                    EXTERNAL_FAILURE,
                    QUERY_TIMEOUT,
                    QUERY_CANCELLED,
                    QUERY_RESOURCES_EXCEEDED -> {
                LOG.log(Level.SEVERE, "ingestion failed", e);
                yield exchange.refuse(RejectReason.INTERNAL_ERROR, 500, "InternalServerError", e.getMessage());
            }
        };
    }

    /** Codes of one endpoint's answers to a body that was not read whole. */
    record BodyCodes(String tooLarge, String tooLargeWhat, String invalidBody) {
        BodyCodes {
            requireNonNull(tooLarge, "tooLarge is null");
            requireNonNull(tooLargeWhat, "tooLargeWhat is null");
            requireNonNull(invalidBody, "invalidBody is null");
        }
    }

    /**
     * Answers a body that was not read whole: 413 (larger than the endpoint's limit, or than the whole body
     * budget), 503 with Retry-After (the budget is spent for now), 400 (it ended before its Content-Length),
     * 408 (it stopped or came too slowly).
     */
    static boolean refuseBody(HttpExchange exchange, HttpExchange.Body.Refusal refusal, BodyCodes codes) {
        return switch (refusal) {
            case HttpExchange.Body.TooLarge tooLarge ->
                exchange.refuse(
                        RejectReason.OVERSIZE,
                        413,
                        codes.tooLarge(),
                        "The request body is larger than " + codes.tooLargeWhat() + " (" + tooLarge.limit()
                                + " bytes); send smaller batches.");
            case HttpExchange.Body.OverBudget overBudget ->
                exchange.refuse(
                        RejectReason.OVERLOADED,
                        503,
                        "ServiceUnavailable",
                        "The server is holding as many request bodies as it may (" + overBudget.budget()
                                + " bytes in all); retry later.",
                        RETRY_AFTER_SECONDS);
            case HttpExchange.Body.Incomplete incomplete ->
                exchange.refuse(RejectReason.INVALID_BODY, 400, codes.invalidBody(), incompleteMessage(incomplete));
            case HttpExchange.Body.TimedOut timedOut ->
                exchange.refuse(
                        RejectReason.TIMEOUT,
                        408,
                        "RequestTimeout",
                        "The request body stopped or arrived too slowly: " + timedOut.received() + " bytes in "
                                + timedOut.elapsed().toMillis() + " ms; nothing of it was stored.");
        };
    }

    private static String incompleteMessage(HttpExchange.Body.Incomplete incomplete) {
        if (incomplete.declared() < 0) {
            return "The request body ended early, after " + incomplete.received() + " bytes; nothing of it was stored.";
        }
        return "The request body ended after " + incomplete.received() + " of the " + incomplete.declared()
                + " bytes its Content-Length declares; nothing of it was stored.";
    }
}
