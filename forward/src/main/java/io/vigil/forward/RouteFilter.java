package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.engine.BatchSource;
import io.vigil.engine.Compilation;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryException;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.TypedRows;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.QuerySource;
import io.vigil.spi.Row;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A route's KQL filter on one table: the tail of a pipeline after the table ({@code where …| project …}),
 * compiled against a workspace that holds only that table, so it can read nothing else, and run by the
 * engine over exactly one committed batch's rows ({@link BatchSource}). Like an Azure data export rule or a
 * DCR transformation, it sees each batch once, as it is committed; {@code ago()} and {@code now()} mean the
 * time the batch is forwarded.
 *
 * <p>Checked when a sink is built (against the store's table at startup, against the built-in catalog by
 * {@code vigil sinks add}); a filter that does not compile is refused there with the KQL diagnostic, its
 * line and column counted in the filter's own text.
 */
public final class RouteFilter {
    /** How long one batch's filter may run before the attempt fails and is retried. */
    static final Duration TIMEOUT = Duration.ofMinutes(1);

    private RouteFilter() {}

    /**
     * Checks every filter of {@code route} against {@code workspace}'s tables.
     *
     * @throws IllegalArgumentException naming the route entry and the first KQL error
     */
    public static void check(Route route, QuerySource workspace, Clock clock) {
        requireNonNull(route, "route is null");
        for (Map.Entry<String, String> filter : route.filters().entrySet()) {
            StoredTable table = table(workspace, filter.getKey())
                    .orElseThrow(() -> new IllegalArgumentException("route '" + Route.entry(filter.getKey())
                            + "' has a filter, but the workspace has no table " + filter.getKey()));
            compile(new OneTable(table, workspace), table.name(), filter.getValue(), clock);
        }
    }

    /** Checks every filter of {@code route} against table schemas alone, without a database. */
    public static void check(Route route, List<TableSchema> schemas, Clock clock) {
        check(route, new SchemasOnly(schemas), clock);
    }

    /** The rows of {@code batch} that {@code filter} returns, with its columns, as rows of the batch's table. */
    static List<Row> run(String filter, QuerySource workspace, BatchCommitted batch, Clock clock)
            throws InterruptedException {
        BatchSource source = BatchSource.of(workspace, batch);
        CompiledQuery query = compile(source, batch.table(), filter, clock);
        KqlEngine engine = engine(source, clock);
        return engine.run(query, Optional.of(TIMEOUT), QueryCancellation.none(), new TypedRows(query, batch.table()));
    }

    /** The query a filter stands for: its table, then the filter on the next line. */
    static String query(String table, String filter) {
        String tail = filter.strip();
        if (tail.startsWith("|")) {
            tail = tail.substring(1).stripLeading();
        }
        return "['" + table + "']\n| " + tail;
    }

    private static CompiledQuery compile(QuerySource source, String table, String filter, Clock clock) {
        Compilation compilation;
        try {
            compilation = engine(source, clock).compile(query(table, filter), QueryParameters.at(clock.instant()));
        } catch (QueryException e) {
            throw new IllegalArgumentException(
                    "the filter of route '" + Route.entry(table) + "' is not supported: " + e.getMessage());
        }
        return switch (compilation) {
            case CompiledQuery compiled -> compiled;
            case Compilation.Rejected rejected ->
                throw new IllegalArgumentException("the filter of route '" + Route.entry(table) + "' does not compile: "
                        + describe(rejected.errors().get(0)));
        };
    }

    /** A diagnostic with its position in the filter's text (the query adds the table and "| " before it). */
    private static String describe(Diagnostic diagnostic) {
        int line = diagnostic.line() - 1;
        int column = diagnostic.column();
        if (line == 1) {
            column = Math.max(1, column - 2);
        }
        if (line < 1) {
            return diagnostic.code().code() + " " + diagnostic.message();
        }
        return diagnostic.code().code() + " at line " + line + ", column " + column + ": " + diagnostic.message();
    }

    private static KqlEngine engine(QuerySource source, Clock clock) {
        return KqlEngine.builder(source).clock(clock).schemaProbes(false).build();
    }

    private static Optional<StoredTable> table(QuerySource workspace, String name) {
        Optional<StoredTable> exact = workspace.storedTable(name);
        if (exact.isPresent()) {
            return exact;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return workspace.storedTables().stream()
                .filter(table -> table.name().toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }

    /** A workspace reduced to one table, for checking a filter: it can name no other table. */
    private record OneTable(StoredTable table, QuerySource workspace) implements QuerySource {
        @Override
        public List<StoredTable> storedTables() {
            return List.of(table);
        }

        @Override
        public Connection newQueryConnection() throws SQLException {
            throw new SQLException("a route filter is only checked here, not run");
        }
    }

    /** Tables known by their schemas alone (the built-in catalog), for checking filters without a store. */
    private record SchemasOnly(List<TableSchema> schemas) implements QuerySource {
        @Override
        public List<StoredTable> storedTables() {
            return schemas.stream()
                    .map(schema -> new StoredTable(
                            schema,
                            schema.columns().stream()
                                    .map(column -> column.name())
                                    .toList(),
                            Optional.empty()))
                    .toList();
        }

        @Override
        public Connection newQueryConnection() throws SQLException {
            throw new SQLException("a route filter is only checked here, not run");
        }
    }
}
