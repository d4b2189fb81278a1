package io.vigil.spi;

import java.util.List;
import java.util.Optional;

/**
 * A workspace as the KQL engine reads it: the tables it can query, as they are stored, and connections to
 * run the engine's SQL on. The store implements it (an {@link EventStore} is one); the engine never sees
 * the store itself, so the same engine runs on a workspace, on a data collection rule's input table, or on
 * a test's in-memory database.
 */
public interface QuerySource extends QueryConnections {
    /** Every queryable table with the column names the store's SQL spells, by name. */
    List<StoredTable> storedTables();

    /**
     * The queryable table named exactly {@code name}. A source with many tables (a workspace knows every table
     * of the reference) answers it without building the whole list.
     */
    default Optional<StoredTable> storedTable(String name) {
        for (StoredTable table : storedTables()) {
            if (table.name().equals(name)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }

    /**
     * The hidden column every stored row carries its {@link BatchCommitted#batchId()} in, when the source
     * keeps one (the store does): what lets a query run over exactly one committed batch's rows.
     */
    default Optional<String> batchIdColumn() {
        return Optional.empty();
    }
}
