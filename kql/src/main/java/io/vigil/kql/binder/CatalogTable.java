package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.TableSchema;
import java.util.List;
import java.util.Optional;

/**
 * A table as the binder sees it: its visible schema, the store's column names (one per column, as the
 * SQL must spell them) and the hidden column behind {@code ingestion_time()}, when the table has one. A table
 * the store has not {@code materialized} (never written) binds all the same and reads as an empty relation of
 * its columns, as a Kusto table that exists but holds no rows.
 */
public record CatalogTable(
        TableSchema schema, List<String> physicalNames, Optional<String> ingestionTimeColumn, boolean materialized) {
    public CatalogTable {
        requireNonNull(schema, "schema is null");
        physicalNames = List.copyOf(requireNonNull(physicalNames, "physicalNames is null"));
        requireNonNull(ingestionTimeColumn, "ingestionTimeColumn is null");
        if (physicalNames.size() != schema.columnCount()) {
            throw new IllegalArgumentException("one physical name per column of " + schema.name());
        }
    }

    /** A table the store holds. */
    public CatalogTable(TableSchema schema, List<String> physicalNames, Optional<String> ingestionTimeColumn) {
        this(schema, physicalNames, ingestionTimeColumn, true);
    }
}
