package io.vigil.store;

import io.vigil.metrics.Metrics;

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
        metrics.describe(
                "store_rows_time_repaired_total",
                "Rows whose TimeGenerated was outside the table's retention or over a day ahead, stored with the"
                        + " ingestion time (counted here when the input did not apply the rule itself)");
        metrics.describe(
                "store_values_repaired_total",
                "Characters stored as U+FFFD because the database cannot hold them (NUL, unpaired surrogates)");
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

    void repairedCharacters(String table, int nuls, int loneSurrogates) {
        if (nuls > 0) {
            metrics.counter("store_values_repaired_total", "table", table, "reason", "nul_character")
                    .add(nuls);
        }
        if (loneSurrogates > 0) {
            metrics.counter("store_values_repaired_total", "table", table, "reason", "lone_surrogate")
                    .add(loneSurrogates);
        }
    }

    void timeRepaired(String table) {
        metrics.counter("store_rows_time_repaired_total", "table", table).increment();
    }

    void rejectedRows(String table) {
        metrics.counter("store_rows_rejected_total", "table", table).increment();
    }
}
