package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Span;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StandardErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Vigil's KQL engine, the one way to run KQL: {@link #compile} turns text into diagnostics or a
 * {@link CompiledQuery} (result schema, tables touched, plan and SQL), {@link #run} executes a compiled query
 * on the source under {@link QueryLimits} and a {@link QueryCancellation}, and {@link #catalog} lists the
 * tables, functions and operators a query can use. The query API, DCR transforms, {@code vigil query} and
 * {@code vigil rules check} all go through it; it knows the workspace only as a {@link QuerySource}.
 *
 * <p>An engine holds no connection and no thread of its own; it is safe to share between threads.
 */
public final class KqlEngine {
    private final QuerySource source;
    private final Clock clock;
    private final boolean schemaProbes;
    private final Duration probeTimeout;
    private final QueryRunner runner;
    private final KqlCompiler compiler;
    private final EngineCatalog catalog;

    private KqlEngine(Builder builder) {
        this.source = builder.source;
        this.clock = builder.clock;
        this.schemaProbes = builder.schemaProbes;
        this.probeTimeout = builder.probeTimeout;
        this.runner = new QueryRunner(source, clock);
        this.compiler = new KqlCompiler(this::newCatalog);
        this.catalog = new EngineCatalog(source);
    }

    public static Builder builder(QuerySource source) {
        return new Builder(source);
    }

    /** Parameters at the engine clock's now, with the window of a query API {@code timespan}, if any. */
    public QueryParameters parameters(Optional<String> timespan) {
        return QueryParameters.of(clock.instant(), timespan);
    }

    /**
     * Compiles {@code text}; user errors are a {@link Compilation.Rejected} with every error diagnostic. The
     * walk runs on a deep stack ({@link DeepStack}); a query nested deeper still is rejected as too deep.
     */
    public Compilation compile(String text, QueryParameters parameters) {
        try {
            return DeepStack.call("vigil-query-compile", () -> compiler.compile(text, parameters));
        } catch (StackOverflowError tooDeep) {
            return new Compilation.Rejected(
                    text, List.of(Diagnostic.create(text, DiagnosticCode.NESTING_TOO_DEEP, Span.empty(0))));
        }
    }

    /**
     * Compiles {@code text} for callers that treat a rejected query as an exception.
     *
     * @throws QueryException INVALID_ARGUMENT with the errors as diagnostics, its message the first error's
     */
    public CompiledQuery compileOrThrow(String text, QueryParameters parameters) {
        return switch (compile(text, parameters)) {
            case CompiledQuery compiled -> compiled;
            case Compilation.Rejected rejected -> {
                Diagnostic first = rejected.errors().get(0);
                throw new QueryException(StandardErrorCode.INVALID_ARGUMENT, first.message(), rejected.errors());
            }
        };
    }

    /**
     * Runs a compiled query and reads its rows as the query API returns them, cut (with a warning) at the
     * limits' row count and size, and at the timeout once some rows were read.
     *
     * @throws QueryException QUERY_TIMEOUT when the time ran out before any row, QUERY_CANCELLED when
     *     {@code cancellation} was cancelled, STORE_FAILURE when the database failed
     */
    public QueryResult run(CompiledQuery query, QueryLimits limits, QueryCancellation cancellation)
            throws InterruptedException {
        requireNonNull(limits, "limits is null");
        return runner.run(
                query.text(),
                query.sql(),
                Optional.of(limits.timeout()),
                cancellation,
                new ResultReader(query, limits));
    }

    /**
     * Runs a compiled query and hands its rows to {@code reader}, for callers that type rows themselves;
     * {@code timeout} empty runs it without one (a DCR transform over its own request's rows).
     */
    public <T> T run(
            CompiledQuery query, Optional<Duration> timeout, QueryCancellation cancellation, RowReader<T> reader)
            throws InterruptedException {
        return runner.run(query.text(), query.sql(), timeout, cancellation, reader);
    }

    /** Compiles and runs {@code text}; a rejected query throws as {@link #compileOrThrow} does. */
    public QueryResult execute(String text, QueryParameters parameters, QueryLimits limits)
            throws InterruptedException {
        return run(compileOrThrow(text, parameters), limits, QueryCancellation.none());
    }

    /** The tables, functions and operators queries can use, for completion and documentation. */
    public EngineCatalog catalog() {
        return catalog;
    }

    private SourceCatalog newCatalog() {
        if (!schemaProbes) {
            return new SourceCatalog(source, Optional.empty());
        }
        return new SourceCatalog(source, Optional.of(sql -> runner.probe(sql, probeTimeout)));
    }

    /** How an engine is made: a source, and optionally a clock and how schema probes run. */
    public static final class Builder {
        private final QuerySource source;
        private Clock clock = Clock.systemUTC();
        private boolean schemaProbes = true;
        private Duration probeTimeout = QueryLimits.DEFAULT.timeout();

        private Builder(QuerySource source) {
            this.source = requireNonNull(source, "source is null");
        }

        /** The clock of {@link #parameters} and of the timeout checks while rows are read. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Whether a result schema may depend on the data ({@code evaluate bag_unpack} or {@code pivot} without an output schema
         * runs a probe query while binding). Off for a DCR transform, which is checked before any data.
         */
        public Builder schemaProbes(boolean enabled) {
            this.schemaProbes = enabled;
            return this;
        }

        /** How long a schema probe may run; the query timeout is usually right. */
        public Builder probeTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout is null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the probe timeout must be positive");
            }
            this.probeTimeout = timeout;
            return this;
        }

        public KqlEngine build() {
            return new KqlEngine(this);
        }
    }
}
