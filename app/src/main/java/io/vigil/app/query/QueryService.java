package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.BindOptions;
import io.vigil.kql.binder.Binder;
import io.vigil.kql.binder.BoundQuery;
import io.vigil.kql.binder.RenderHint;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.spi.ColumnType;
import io.vigil.spi.EventStore;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import io.vigil.sql.DuckDbDialect;
import io.vigil.sql.PlanToSql;
import io.vigil.sql.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs KQL against the store: parse, bind, plan, render DuckDB SQL, execute on a query connection with
 * a timeout, and read the rows back as Log Analytics returns them. Results beyond the row limit are
 * cut and reported as partial, like the service's 500,000-record limit; so are the rows read when the
 * time runs out after some were, while a query that times out before any row is a QUERY_TIMEOUT error.
 * KQL warnings of the query (KQL216) come back with the result.
 */
public final class QueryService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(QueryService.class.getName());

    /** Log Analytics' record limit of a query result. */
    public static final int DEFAULT_MAX_ROWS = QueryLimits.DEFAULT.maxRows();

    public static final Duration DEFAULT_TIMEOUT = QueryLimits.DEFAULT.timeout();

    private static final Pattern INTERVAL = Pattern.compile(
            "(?:(-?\\d+) years? ?)?(?:(-?\\d+) mons? ?)?(?:(-?\\d+) days? ?)?(?:(-)?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?)?");

    private final EventStore store;
    private final StoreQueryCatalog catalog;
    private final Clock clock;
    private final Duration timeout;
    private final int maxRows;
    private final long maxBytes;
    private final ScheduledExecutorService timer;

    public QueryService(EventStore store, Clock clock, Duration timeout, int maxRows) {
        this(store, clock, new QueryLimits(timeout, maxRows, QueryLimits.DEFAULT.maxBytes()));
    }

    public QueryService(EventStore store, Clock clock, QueryLimits limits) {
        this.store = requireNonNull(store, "store is null");
        this.catalog = new StoreQueryCatalog(store, this::probe);
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(limits, "limits is null");
        this.timeout = limits.timeout();
        this.maxRows = limits.maxRows();
        this.maxBytes = limits.maxBytes();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-query-timeout");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The catalog queries bind against, with its schema probe; for tests that bind without running. */
    StoreQueryCatalog catalog() {
        return catalog;
    }

    /** The plan and SQL of a query with its warning diagnostics, or its errors; for tests and {@code explain}. */
    public record Compiled(PlanNode plan, SqlStatement sql, Optional<RenderHint> render, List<Diagnostic> warnings) {
        public Compiled {
            requireNonNull(plan, "plan is null");
            requireNonNull(sql, "sql is null");
            requireNonNull(render, "render is null");
            warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        }
    }

    public Compiled compile(String query, Optional<String> timespan) {
        Instant now = clock.instant();
        Optional<BindOptions.TimeRange> range = Optional.empty();
        if (timespan.isPresent() && !timespan.get().isBlank()) {
            range = Timespans.parse(timespan.get(), now);
            if (range.isEmpty()) {
                throw new QueryException(
                        StandardErrorCode.INVALID_ARGUMENT,
                        "Invalid timespan '" + timespan.get() + "': expected an ISO 8601 duration or interval",
                        List.of());
            }
        }
        ParseResult parsed = KqlParser.parse(query);
        BoundQuery bound = Binder.bind(query, parsed, catalog, new BindOptions(now, range));
        if (bound.hasErrors() || bound.plan().isEmpty()) {
            List<Diagnostic> errors =
                    bound.diagnostics().stream().filter(Diagnostic::isError).toList();
            if (errors.isEmpty()) {
                errors = List.of(Diagnostic.create(query, DiagnosticCode.NO_QUERY, Span.empty(query.length())));
            }
            throw new QueryException(
                    StandardErrorCode.INVALID_ARGUMENT, errors.get(0).message(), errors);
        }
        PlanNode plan = bound.plan().get();
        List<Diagnostic> warnings = bound.diagnostics().stream()
                .filter(diagnostic -> !diagnostic.isError())
                .toList();
        try {
            return new Compiled(plan, PlanToSql.render(plan, DuckDbDialect.INSTANCE), bound.render(), warnings);
        } catch (UnsupportedOperationException exception) {
            throw new QueryException(StandardErrorCode.INTERNAL_ERROR, exception.getMessage(), exception);
        }
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
     * Runs a query and records it in LAQueryLogs, as Log Analytics audits every query (text, caller,
     * time range, response code, duration, row count); user errors throw a {@link QueryException} with
     * diagnostics. The audit row is queued, not awaited: a query never waits for its own audit commit.
     */
    public QueryResult execute(String query, Optional<String> timespan, Caller caller) throws InterruptedException {
        Instant started = clock.instant();
        long startedNanos = System.nanoTime();
        int responseCode = 200;
        int rowCount = 0;
        try {
            QueryResult result = executeUnaudited(query, timespan);
            rowCount = result.rows().size();
            return result;
        } catch (QueryException exception) {
            responseCode = responseCode(exception);
            throw exception;
        } finally {
            audit(query, timespan, caller, started, (System.nanoTime() - startedNanos) / 1e6, responseCode, rowCount);
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
            case RESOURCE -> 503;
            case INTERNAL, EXTERNAL -> 500;
        };
    }

    private void audit(
            String query,
            Optional<String> timespan,
            Caller caller,
            Instant started,
            double durationMs,
            int responseCode,
            int rowCount)
            throws InterruptedException {
        Row.Builder row = store.catalog()
                .require("LAQueryLogs")
                .newRow()
                .set("TimeGenerated", started)
                .set("QueryText", query)
                .set("ResponseCode", responseCode)
                .set("ResponseDurationMs", durationMs)
                .set("ResponseRowCount", rowCount)
                .set("RequestClientApp", caller.clientApp())
                .set("AADEmail", caller.principal())
                .set("CorrelationId", UUID.randomUUID().toString())
                .set("IsBillableQuery", Boolean.FALSE)
                .set("SourceSystem", "Vigil");
        timespan.filter(text -> !text.isBlank())
                .flatMap(text -> Timespans.parse(text, started))
                .ifPresent(
                        range -> row.set("QueryTimeRangeStart", range.start()).set("QueryTimeRangeEnd", range.end()));
        try {
            store.write(List.of(row.build()));
        } catch (VigilException exception) {
            // an overloaded or closing store must not turn a finished query into an error; say so loudly
            LOG.log(Level.WARNING, "could not queue the LAQueryLogs row of a query: " + exception.getMessage());
        }
    }

    private QueryResult executeUnaudited(String query, Optional<String> timespan) throws InterruptedException {
        Compiled compiled = compile(query, timespan);
        List<PlanColumn> columns = compiled.plan().columns();
        List<QueryWarning> warnings = new ArrayList<>();
        for (Diagnostic diagnostic : compiled.warnings()) {
            warnings.add(QueryWarning.of(diagnostic));
        }
        return run(compiled.sql(), (rows, expired) -> read(rows, expired, columns, compiled.render(), warnings));
    }

    /**
     * Reads a result set; may throw what JDBC throws. {@code expired} tells whether the query's time is up,
     * for readers that stop early and keep what they read.
     */
    private interface RowReader<T> {
        T read(ResultSet rows, BooleanSupplier expired) throws SQLException;
    }

    /**
     * Runs SQL on a query connection of the store with the parameters bound and the timeout armed; a timeout
     * or a store error is a {@link QueryException}.
     */
    private <T> T run(SqlStatement sql, RowReader<T> reader) throws InterruptedException {
        AtomicBoolean timedOut = new AtomicBoolean();
        // the store's execution is cancelled by a real-time timer; reading back also checks the service clock
        Instant deadline = clock.instant().plus(timeout);
        BooleanSupplier expired = () -> timedOut.get() || clock.instant().isAfter(deadline);
        try (Connection connection = store.newQueryConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(sql.sql())) {
                List<Object> parameters = sql.parameters();
                for (int index = 0; index < parameters.size(); index++) {
                    statement.setObject(index + 1, parameters.get(index));
                }
                ScheduledFuture<?> cancel = timer.schedule(
                        () -> {
                            timedOut.set(true);
                            try {
                                statement.cancel();
                            } catch (SQLException ignored) {
                                // the statement finished meanwhile
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                try (ResultSet rows = statement.executeQuery()) {
                    return reader.read(rows, expired);
                } finally {
                    cancel.cancel(false);
                }
            }
        } catch (SQLException exception) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("query interrupted");
            }
            if (timedOut.get()) {
                throw timedOut(exception);
            }
            throw new QueryException(
                    StandardErrorCode.STORE_FAILURE, "Query failed in the store: " + exception.getMessage(), exception);
        }
    }

    private QueryException timedOut(Throwable cause) {
        return new QueryException(
                StandardErrorCode.QUERY_TIMEOUT, "Query exceeded the timeout of " + describe(timeout), cause);
    }

    /** A limit as people write it: {@code 3 minutes}, {@code 90 seconds}, {@code 250 ms}. */
    static String describe(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.toSeconds() == 0) {
            return duration.toMillis() + " ms";
        }
        if (duration.toSecondsPart() == 0 && duration.toMinutes() > 0) {
            return plural(duration.toMinutes(), "minute");
        }
        return plural(duration.toSeconds(), "second");
    }

    private static String plural(long count, String unit) {
        if (count == 1) {
            return "1 " + unit;
        }
        return count + " " + unit + "s";
    }

    /**
     * A schema probe the binder asks for while binding (bag_unpack): its rows as text, under the same timeout
     * as a query. Binding cannot throw InterruptedException, so an interrupt is kept on the thread and the
     * probe fails.
     */
    private List<List<String>> probe(SqlStatement sql) {
        try {
            return run(sql, (rows, expired) -> {
                List<List<String>> result = new ArrayList<>();
                int width = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    List<String> row = new ArrayList<>(width);
                    for (int index = 1; index <= width; index++) {
                        row.add(rows.getString(index));
                    }
                    result.add(row);
                }
                return result;
            });
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new QueryException(StandardErrorCode.INTERNAL_ERROR, "schema probe interrupted", interrupted);
        }
    }

    /** How many rows are read between two looks at the clock. */
    private static final int ROWS_PER_DEADLINE_CHECK = 64;

    private QueryResult read(
            ResultSet rows,
            BooleanSupplier expired,
            List<PlanColumn> columns,
            Optional<RenderHint> render,
            List<QueryWarning> warnings)
            throws SQLException {
        List<QueryResult.ResultColumn> resultColumns = new ArrayList<>();
        for (PlanColumn column : columns) {
            resultColumns.add(new QueryResult.ResultColumn(column.name(), column.type()));
        }
        List<List<Object>> values = new ArrayList<>();
        List<QueryWarning> all = new ArrayList<>(warnings);
        long bytes = 0;
        while (true) {
            if (values.size() % ROWS_PER_DEADLINE_CHECK == 0 && expired.getAsBoolean()) {
                if (values.isEmpty()) {
                    throw timedOut(null);
                }
                all.add(timeoutWarning(values.size()));
                break;
            }
            boolean more;
            try {
                more = rows.next();
            } catch (SQLException exception) {
                // the timer cancelled the statement while its rows were being read: keep what was read
                if (!expired.getAsBoolean()) {
                    throw exception;
                }
                if (values.isEmpty()) {
                    throw timedOut(exception);
                }
                all.add(timeoutWarning(values.size()));
                break;
            }
            if (!more) {
                break;
            }
            if (values.size() == maxRows) {
                all.add(QueryWarning.engine(
                        QueryWarning.RESULT_TOO_LARGE,
                        "Query result set has exceeded the record count limit of " + maxRows
                                + " records; the result was truncated"));
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int index = 0; index < columns.size(); index++) {
                Object value = value(rows, index + 1, columns.get(index).type());
                bytes += sizeOf(value);
                row.add(value);
            }
            if (bytes > maxBytes) {
                all.add(QueryWarning.engine(
                        QueryWarning.RESULT_TOO_LARGE,
                        "Query result set has exceeded the internal data size limit of " + maxBytes
                                + " bytes; the result was truncated after " + values.size() + " records"));
                break;
            }
            values.add(row);
        }
        return new QueryResult(resultColumns, values, all, render);
    }

    private QueryWarning timeoutWarning(int records) {
        return QueryWarning.engine(
                QueryWarning.TIMEOUT,
                "Query exceeded the timeout of " + describe(timeout) + "; the result was truncated after " + records
                        + " records");
    }

    private static long sizeOf(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        return 8;
    }

    private static Object value(ResultSet rows, int index, ColumnType type) throws SQLException {
        return switch (type) {
            case STRING -> {
                String text = rows.getString(index);
                if (text == null) {
                    yield "";
                }
                yield text;
            }
            case GUID, DYNAMIC -> rows.getString(index);
            case INT -> {
                int value = rows.getInt(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case LONG -> {
                long value = rows.getLong(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case REAL -> {
                double value = rows.getDouble(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case BOOL -> {
                boolean value = rows.getBoolean(index);
                if (rows.wasNull()) {
                    yield null;
                }
                yield value;
            }
            case DATETIME -> {
                LocalDateTime value = rows.getObject(index, LocalDateTime.class);
                if (value == null) {
                    yield null;
                }
                yield value.toInstant(ZoneOffset.UTC).toString();
            }
            case TIMESPAN -> {
                String value = rows.getString(index);
                if (value == null) {
                    yield null;
                }
                yield formatTimespan(parseInterval(value));
            }
        };
    }

    /** DuckDB's interval text ({@code 1 day 02:00:00.5}); a month counts 30 days, as DuckDB compares them. */
    static Duration parseInterval(String text) {
        Matcher matcher = INTERVAL.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalStateException("unexpected interval text " + text);
        }
        Duration duration = Duration.ZERO;
        if (matcher.group(1) != null) {
            duration = duration.plusDays(360L * Long.parseLong(matcher.group(1)));
        }
        if (matcher.group(2) != null) {
            duration = duration.plusDays(30L * Long.parseLong(matcher.group(2)));
        }
        if (matcher.group(3) != null) {
            duration = duration.plusDays(Long.parseLong(matcher.group(3)));
        }
        if (matcher.group(5) != null) {
            Duration clockPart = Duration.ofHours(Long.parseLong(matcher.group(5)))
                    .plusMinutes(Long.parseLong(matcher.group(6)))
                    .plusSeconds(Long.parseLong(matcher.group(7)));
            if (matcher.group(8) != null) {
                String nanos = (matcher.group(8) + "000000000").substring(0, 9);
                clockPart = clockPart.plusNanos(Long.parseLong(nanos));
            }
            if (matcher.group(4) != null) {
                clockPart = clockPart.negated();
            }
            duration = duration.plus(clockPart);
        }
        return duration;
    }

    /** KQL's timespan text: {@code [-][d.]hh:mm:ss[.fffffff]} (scalar-data-types/timespan). */
    static String formatTimespan(Duration duration) {
        StringBuilder text = new StringBuilder();
        Duration value = duration;
        if (value.isNegative()) {
            text.append('-');
            value = value.negated();
        }
        long days = value.toDays();
        if (days > 0) {
            text.append(days).append('.');
        }
        text.append(String.format(
                Locale.ROOT, "%02d:%02d:%02d", value.toHoursPart(), value.toMinutesPart(), value.toSecondsPart()));
        long ticks = value.toNanosPart() / 100;
        if (ticks > 0) {
            text.append(String.format(Locale.ROOT, ".%07d", ticks));
        }
        return text.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
