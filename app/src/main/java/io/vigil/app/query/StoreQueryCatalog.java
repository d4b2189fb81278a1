package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.BagSlot;
import io.vigil.kql.binder.CatalogTable;
import io.vigil.kql.binder.QueryCatalog;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.spi.ColumnType;
import io.vigil.spi.EventStore;
import io.vigil.spi.TableSchema;
import io.vigil.sql.DuckDbDialect;
import io.vigil.sql.PlanToSql;
import io.vigil.sql.SqlStatement;
import io.vigil.store.HiddenColumns;
import io.vigil.store.SchemaDdl;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The store's tables as the binder sees them: DuckDB column names and the hidden ingestion time. */
final class StoreQueryCatalog implements QueryCatalog {
    private final EventStore store;
    private final Function<SqlStatement, List<List<String>>> probe;

    /**
     * @param probe runs a schema probe's SQL on the store, under the query's timeout, and returns its rows
     *     as text
     */
    StoreQueryCatalog(EventStore store, Function<SqlStatement, List<List<String>>> probe) {
        this.store = requireNonNull(store, "store is null");
        this.probe = requireNonNull(probe, "probe is null");
    }

    @Override
    public Optional<CatalogTable> table(String name) {
        for (TableSchema table : store.tables()) {
            if (table.name().equals(name)) {
                return Optional.of(new CatalogTable(
                        table, SchemaDdl.physicalColumnNames(table), Optional.of(HiddenColumns.INGESTION_TIME)));
            }
        }
        return Optional.empty();
    }

    @Override
    public Collection<String> tableNames() {
        return store.tables().stream().map(TableSchema::name).toList();
    }

    /**
     * bag_unpack's schema probe: the input plan cut to the bag column and its first {@code maximumRows} rows,
     * rendered like any query (user values stay parameters), and around it DuckDB's {@code json_each} over
     * the rows whose value is a JSON object, grouped by key with the distinct {@code json_type}s of its values.
     */
    @Override
    public Optional<List<BagSlot>> bagSlots(PlanNode input, int column, int maximumRows, int maximumKeys) {
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
        for (List<String> row : probe.apply(new SqlStatement(sql, rows.parameters()))) {
            Set<ColumnType> types = EnumSet.noneOf(ColumnType.class);
            for (String jsonType : row.get(1).split(",")) {
                kqlType(jsonType).ifPresent(types::add);
            }
            slots.add(new BagSlot(row.get(0), types));
        }
        return Optional.of(slots);
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

    List<TableSchema> tables() {
        return store.tables();
    }
}
