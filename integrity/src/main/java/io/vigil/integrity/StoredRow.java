package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.Row;
import java.time.Instant;

/** A row as it is stored: the batch it came in, its sequence number in its table, and its values. */
record StoredRow(long batchId, long rowSequence, Row row) {
    StoredRow {
        requireNonNull(row, "row is null");
    }

    /** TimeGenerated in microseconds, or null when the row has none (retention goes by it). */
    Long timeGeneratedMicros() {
        if (row.table().indexOf("TimeGenerated") < 0 || row.get("TimeGenerated") == null) {
            return null;
        }
        return CanonicalRow.epochMicros((Instant) row.get("TimeGenerated"));
    }
}
