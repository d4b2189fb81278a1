package io.vigil.store;

import io.vigil.spi.Metrics;

/** The store's counters, named per STYLE.md and labelled by table. */
final class StoreCounters {
    private final Metrics metrics;

    StoreCounters(Metrics metrics) {
        this.metrics = metrics;
        metrics.describe("store_rows_committed_total", "Rows committed to a table");
        metrics.describe("store_batches_committed_total", "Batches committed to a table");
        metrics.describe("store_bytes_staged_total", "Bytes of staged batch files loaded into a table");
        metrics.describe("store_rows_rejected_total", "Rows the database refused, dead-lettered");
        metrics.describe(
                "store_rows_duplicate_total", "Rows not written again: a stored row has the same id and TimeGenerated");
    }

    void committed(String table, int rows, long bytes) {
        metrics.counter("store_rows_committed_total", "table", table).add(rows);
        metrics.counter("store_batches_committed_total", "table", table).increment();
        metrics.counter("store_bytes_staged_total", "table", table).add(bytes);
    }

    void duplicates(String table, int rows) {
        if (rows > 0) {
            metrics.counter("store_rows_duplicate_total", "table", table).add(rows);
        }
    }

    void rejectedRows(String table) {
        metrics.counter("store_rows_rejected_total", "table", table).increment();
    }
}
