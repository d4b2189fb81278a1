package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/** What one retention pass deleted: rows per table, all older than that table's cutoff. */
public record RetentionRun(
        Instant executedAt, Map<String, Instant> cutoffByTable, Map<String, Long> rowsDeletedByTable) {
    public RetentionRun {
        requireNonNull(executedAt, "executedAt is null");
        cutoffByTable = Map.copyOf(cutoffByTable);
        rowsDeletedByTable = Map.copyOf(rowsDeletedByTable);
    }

    public long totalRowsDeleted() {
        return rowsDeletedByTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
