package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.BagSlot;
import io.vigil.kql.binder.CatalogTable;
import io.vigil.kql.binder.QueryCatalog;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.spi.ColumnType;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.sql.DuckDbDialect;
import io.vigil.sql.PlanToSql;
import io.vigil.sql.SqlStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A source's tables as the binder sees them, for one compilation: it remembers the tables the query looked
 * up (the tables it touches) and runs the schema probes of {@code bag_unpack} and {@code pivot} on the source, when
 * probes are on.
 */
final class SourceCatalog implements QueryCatalog {
    private final QuerySource source;
    private final Optional<Function<SqlStatement, List<List<String>>>> probe;
    private final Set<String> touched = new TreeSet<>();

    /**
     * @param probe runs a schema probe's SQL on the source, under the engine's probe timeout, and returns its
     *     rows as text; empty when schemas may not depend on data
     */
    SourceCatalog(QuerySource source, Optional<Function<SqlStatement, List<List<String>>>> probe) {
        this.source = requireNonNull(source, "source is null");
        this.probe = requireNonNull(probe, "probe is null");
    }

    @Override
    public Optional<CatalogTable> table(String name) {
        Optional<StoredTable> found = source.storedTable(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        touched.add(name);
        StoredTable table = found.get();
        return Optional.of(new CatalogTable(
                table.schema(), table.physicalNames(), table.ingestionTimeColumn(), table.materialized()));
    }

    /**
     * The tables a wildcard ({@code union *}, {@code search}) reads: those the store holds. A table never
     * written is empty, so it adds no rows; leaving it out also leaves its columns out of the union's schema
     * (Kusto would list them), which keeps {@code union *} over a workspace that knows every reference table
     * to the tables that were ever written, instead of some 18,000 columns.
     */
    @Override
    public Collection<String> tableNames() {
        return source.storedTables().stream()
                .filter(StoredTable::materialized)
                .map(StoredTable::name)
                .toList();
    }

    /** The tables the binder looked up and found so far, by name. */
    List<String> touchedTables() {
        return List.copyOf(touched);
    }

    /**
     * bag_unpack's schema probe: the input plan cut to the bag column and its first {@code maximumRows} rows,
     * rendered like any query (user values stay parameters), and around it DuckDB's {@code json_each} over
     * the rows whose value is a JSON object, grouped by key with the distinct {@code json_type}s of its values.
     */
    @Override
    public Optional<List<BagSlot>> bagSlots(PlanNode input, int column, int maximumRows, int maximumKeys) {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        PlanColumn bag = input.columns().get(column);
        PlanNode bags = new PlanNode.Limit(
                new PlanNode.Project(
                        input,
                        List.of(new ScalarExpression.ColumnReference(column, bag.name(), bag.type())),
                        List.of(new PlanColumn("bag", ColumnType.DYNAMIC))),
                maximumRows);
        SqlStatement rows = PlanToSql.render(bags, DuckDbDialect.INSTANCE);
        String sql = "SELECT slot.key, string_agg(DISTINCT json_type(slot.value), ',' ORDER BY json_type(slot.value))"
                + " FROM (" + rows.sql() + ") AS probe, json_each(probe.bag) AS slot"
                + " WHERE json_type(probe.bag) = 'OBJECT'"
                + " GROUP BY slot.key ORDER BY slot.key LIMIT " + (maximumKeys + 1);
        List<BagSlot> slots = new ArrayList<>();
        for (List<String> row : probe.get().apply(new SqlStatement(sql, rows.parameters()))) {
            Set<ColumnType> types = EnumSet.noneOf(ColumnType.class);
            for (String jsonType : row.get(1).split(",")) {
                kqlType(jsonType).ifPresent(types::add);
            }
            slots.add(new BagSlot(row.get(0), types));
        }
        return Optional.of(slots);
    }

    /**
     * pivot's probe: the distinct values of one string column of the input plan, over all its rows, in the order
     * of their first occurrence (the row number DuckDB gives the rows in the order it reads them).
     */
    @Override
    public Optional<List<String>> distinctValues(PlanNode input, int column, int maximumValues) {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        PlanColumn values = input.columns().get(column);
        PlanNode texts = new PlanNode.Project(
                input,
                List.of(new ScalarExpression.ColumnReference(column, values.name(), values.type())),
                List.of(new PlanColumn("pivot_value", ColumnType.STRING)));
        SqlStatement rows = PlanToSql.render(texts, DuckDbDialect.INSTANCE);
        String sql = "SELECT pivot_value FROM (SELECT pivot_value, row_number() OVER () AS pivot_row"
                + " FROM (" + rows.sql() + ") AS probe) AS numbered"
                + " GROUP BY pivot_value ORDER BY min(pivot_row) LIMIT " + (maximumValues + 1);
        List<String> found = new ArrayList<>();
        for (List<String> row : probe.get().apply(new SqlStatement(sql, rows.parameters()))) {
            found.add(row.get(0));
        }
        return Optional.of(found);
    }

    /** A DuckDB json_type as the KQL type of the column; JSON null has none. */
    private static Optional<ColumnType> kqlType(String jsonType) {
        return switch (jsonType) {
            case "NULL" -> Optional.empty();
            case "VARCHAR" -> Optional.of(ColumnType.STRING);
            case "BIGINT", "UBIGINT" -> Optional.of(ColumnType.LONG);
            case "DOUBLE" -> Optional.of(ColumnType.REAL);
            case "BOOLEAN" -> Optional.of(ColumnType.BOOL);
            default -> Optional.of(ColumnType.DYNAMIC);
        };
    }
}
