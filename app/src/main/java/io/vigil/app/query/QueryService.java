package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryException;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryResult;
import io.vigil.spi.EventStore;
import io.vigil.spi.StandardErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The workspace's queries as the query API and the CLI run them: on the {@link KqlEngine} over the store,
 * under the server's {@link QueryLimits}, each one audited in LAQueryLogs.
 */
public final class QueryService implements AutoCloseable {
    /** Log Analytics' record limit of a query result. */
    public static final int DEFAULT_MAX_ROWS = QueryLimits.DEFAULT.maxRows();

    public static final Duration DEFAULT_TIMEOUT = QueryLimits.DEFAULT.timeout();

    private final KqlEngine engine;
    private final QueryAudit audit;
    private final Clock clock;
    private final QueryLimits limits;

    /** Cancelled when the service closes, so a shutdown stops the running queries instead of waiting for them. */
    private final QueryCancellation shutdown = new QueryCancellation();

    public QueryService(EventStore store, Clock clock, Duration timeout, int maxRows) {
        this(store, clock, new QueryLimits(timeout, maxRows, QueryLimits.DEFAULT.maxBytes()));
    }

    public QueryService(EventStore store, Clock clock, QueryLimits limits) {
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        // a bag_unpack or pivot probe runs while binding, under the same time limit as the query
        this.engine = KqlEngine.builder(store)
                .clock(clock)
                .probeTimeout(limits.timeout())
                .build();
        this.audit = new QueryAudit(store);
    }

    /** The engine the queries run on, for callers that compile without running (explain, tests). */
    public KqlEngine engine() {
        return engine;
    }

    /** Compiles a query with the request's timespan; a rejected query or a bad timespan throws. */
    public CompiledQuery compile(String query, Optional<String> timespan) {
        return engine.compileOrThrow(query, engine.parameters(timespan));
    }

    /** Who asked for a query and through what, recorded in LAQueryLogs. */
    public record Caller(String principal, String clientApp) {
        public static final Caller LOCAL = new Caller("", "vigil");

        public Caller {
            requireNonNull(principal, "principal is null");
            requireNonNull(clientApp, "clientApp is null");
        }
    }

    /** Runs a query on behalf of this process (CLI, benchmarks); see {@link #execute(String, Optional, Caller)}. */
    public QueryResult execute(String query, Optional<String> timespan) throws InterruptedException {
        return execute(query, timespan, Caller.LOCAL);
    }

    /**
     * Runs a query and records it in LAQueryLogs; user errors throw a {@link QueryException} with
     * diagnostics.
     */
    public QueryResult execute(String query, Optional<String> timespan, Caller caller) throws InterruptedException {
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        int responseCode = 200;
        int rowCount = 0;
        try {
            QueryResult result = engine.run(compile(query, timespan), limits, shutdown);
            rowCount = result.rows().size();
            return result;
        } catch (QueryException exception) {
            QueryException answered = exception;
            if (shutdown.isCancelled()) {
                answered = new QueryException(
                        StandardErrorCode.INGEST_CLOSED,
                        "The query was cancelled: the server is shutting down",
                        exception);
            }
            responseCode = responseCode(answered);
            throw answered;
        } finally {
            audit.record(
                    query, timespan, caller, started, (System.nanoTime() - startedNanos) / 1e6, responseCode, rowCount);
        }
    }

    /** The HTTP status the query API answers a failed query with, which LAQueryLogs records. */
    static int responseCode(QueryException exception) {
        if (exception.errorCode() == StandardErrorCode.QUERY_TIMEOUT) {
            // Log Analytics' documented answer to a query over its time limit (api/timeouts)
            return 504;
        }
        return switch (exception.errorCode().category()) {
            case USER -> 400;
            case RESOURCE -> {
                if (exception.errorCode() == StandardErrorCode.QUERY_RESOURCES_EXCEEDED) {
                    // the same query fails the same way again: a caller's error, not a reason to retry
                    yield 400;
                }
                yield 503;
            }
            case INTERNAL, EXTERNAL -> 500;
        };
    }

    /** Cancels the queries running now (DuckDB interrupts them) and refuses new ones. */
    @Override
    public void close() {
        shutdown.cancel();
    }
}
