package io.vigil.store;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The store's tables and query connections as the KQL engine reads them. */
public final class StoreQuerySource implements QuerySource {
    private final DuckDbStore store;

    public StoreQuerySource(DuckDbStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    @Override
    public List<StoredTable> tables() {
        List<StoredTable> tables = new ArrayList<>();
        for (TableSchema table : store.tables()) {
            tables.add(new StoredTable(
                    table, SchemaDdl.physicalColumnNames(table), Optional.of(HiddenColumns.INGESTION_TIME)));
        }
        return tables;
    }

    @Override
    public Connection openQueryConnection() throws SQLException {
        return store.newQueryConnection();
    }
}
