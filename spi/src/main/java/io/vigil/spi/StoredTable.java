package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A table as it is stored: its schema, the column names the store's SQL must spell (one per column; they
 * differ where KQL names differ only in case, which the database does not tell apart) and the hidden
 * column behind {@code ingestion_time()}, when the table has one. A table the store has not {@code materialized}
 * yet (no row was ever written to it) exists for queries all the same: it reads as empty, with its columns.
 */
public record StoredTable(
        TableSchema schema, List<String> physicalNames, Optional<String> ingestionTimeColumn, boolean materialized) {
    public StoredTable {
        requireNonNull(schema, "schema is null");
        physicalNames = List.copyOf(requireNonNull(physicalNames, "physicalNames is null"));
        requireNonNull(ingestionTimeColumn, "ingestionTimeColumn is null");
        if (physicalNames.size() != schema.columnCount()) {
            throw new IllegalArgumentException("one physical name per column of " + schema.name());
        }
    }

    /** A table the store holds. */
    public StoredTable(TableSchema schema, List<String> physicalNames, Optional<String> ingestionTimeColumn) {
        this(schema, physicalNames, ingestionTimeColumn, true);
    }

    public String name() {
        return schema.name();
    }
}
