package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.binder.CatalogTable;
import io.vigil.kql.binder.QueryCatalog;
import io.vigil.spi.TableSchema;
import io.vigil.store.DuckDbStore;
import io.vigil.store.HiddenColumns;
import io.vigil.store.SchemaDdl;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The store's tables as the binder sees them: DuckDB column names and the hidden ingestion time. */
final class StoreQueryCatalog implements QueryCatalog {
    private final DuckDbStore store;

    StoreQueryCatalog(DuckDbStore store) {
        this.store = requireNonNull(store, "store is null");
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

    List<TableSchema> tables() {
        return store.tables();
    }
}
