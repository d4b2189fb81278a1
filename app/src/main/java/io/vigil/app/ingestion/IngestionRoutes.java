package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.ApiKeys;
import io.vigil.app.Workspace;
import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.spi.Metrics;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbStore;
import java.io.IOException;
import java.time.Clock;
import java.util.function.BiFunction;
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
 * records it acknowledges are committed.
 */
public final class IngestionRoutes {
    private static final Logger LOG = Logger.getLogger(IngestionRoutes.class.getName());

    /** Seconds a sender waits before retrying when ingest is overloaded. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Metrics metrics;
    private final DataCollectorEndpoint dataCollector;
    private final AppInsightsEndpoint appInsights;
    private final LogsIngestionEndpoint logsIngestion;

    public IngestionRoutes(
            Workspace workspace,
            DuckDbStore store,
            IngestPipeline pipeline,
            ApiKeys keys,
            InstrumentationKeys instrumentationKeys,
            DataCollectionRules rules,
            DcrTransform transform,
            Clock clock,
            Metrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.dataCollector = new DataCollectorEndpoint(workspace, store, pipeline, clock);
        this.appInsights = new AppInsightsEndpoint(instrumentationKeys, pipeline, metrics);
        this.logsIngestion = new LogsIngestionEndpoint(keys, rules, transform, store, pipeline, clock);
    }

    /**
     * The routes for the workspace a store belongs to, creating the workspace's instrumentation key on
     * first start; data collection rules' transforms run with the KQL engine.
     */
    public static IngestionRoutes forStore(DuckDbStore store, ApiKeys keys, Metrics metrics) {
        try {
            Workspace workspace = Workspace.open(store.dataDir());
            Clock clock = Clock.systemUTC();
            return new IngestionRoutes(
                    workspace,
                    store,
                    new IngestPipeline(store, LogFormats.builtIn(), clock, metrics),
                    keys,
                    InstrumentationKeys.loadOrCreate(workspace),
                    DataCollectionRules.of(workspace),
                    new KqlDcrTransform(clock),
                    clock,
                    metrics);
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
        String route = route(path);
        HttpExchange exchange = new HttpExchange(request, response, callback, metrics, route);
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
            return exchange.overloaded(
                    HttpExchange.azureError("ServiceUnavailable", "The server is shutting down; retry later."),
                    RETRY_AFTER_SECONDS);
        } catch (IOException e) {
            // the client went away or sent a broken body; answer if the connection still allows it
            return exchange.json(
                    400, HttpExchange.azureError("InvalidRequest", "Cannot read the request body: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "ingestion request " + path + " failed", e);
            return exchange.json(
                    500,
                    HttpExchange.azureError(
                            "InternalServerError", "The request failed inside the server: " + e.getMessage()));
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

    /**
     * Answers a pipeline failure: back-pressure and shutdown are 503 with Retry-After, user errors 400,
     * anything else 500. {@code body} builds the endpoint's own error body from a code and a message.
     */
    static boolean failure(HttpExchange exchange, VigilException e, BiFunction<String, String, ObjectNode> body) {
        return switch (e.errorCode()) {
            case INGEST_OVERLOADED ->
                exchange.overloaded(
                        body.apply("ServiceUnavailable", "Ingest is overloaded: " + e.getMessage() + "; retry later."),
                        RETRY_AFTER_SECONDS);
            case INGEST_CLOSED ->
                exchange.overloaded(
                        body.apply("ServiceUnavailable", "Ingest is stopping: " + e.getMessage() + "; retry later."),
                        RETRY_AFTER_SECONDS);
            case INVALID_ARGUMENT, TABLE_NOT_FOUND, INVALID_CONFIGURATION ->
                exchange.json(400, body.apply("InvalidRequest", e.getMessage()));
            case UNAUTHENTICATED -> exchange.json(401, body.apply("InvalidAuthorization", e.getMessage()));
            case FORBIDDEN -> exchange.json(403, body.apply("InsufficientAccessError", e.getMessage()));
            // a DCR transform runs in memory under no query timeout; a timeout here is still the server's fault
            case STORE_FAILURE, INTERNAL_ERROR, EXTERNAL_FAILURE, QUERY_TIMEOUT -> {
                LOG.log(Level.SEVERE, "ingestion failed", e);
                yield exchange.json(500, body.apply("InternalServerError", e.getMessage()));
            }
        };
    }
}
