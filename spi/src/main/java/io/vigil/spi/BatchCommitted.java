package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One batch of rows of one table, committed: what the commit stream delivers. Batch ids grow with
 * every commit of the workspace and are delivered in that order, so the order per table is the commit
 * order. The rows themselves are read with {@link CommitStream#rows(BatchCommitted)}.
 *
 * @param workspace the workspace id (the {@code TenantId} rows get), empty when the store has none
 * @param table the table the rows went to
 * @param batchId the batch's id, also in every row's hidden batch column
 * @param rowCount rows committed in the batch
 * @param minTimeGenerated the earliest {@code TimeGenerated} of its rows (the ingestion time when the
 *     table has no such column)
 * @param maxTimeGenerated the latest {@code TimeGenerated} of its rows
 * @param ingestionTime when it was committed, what {@code ingestion_time()} returns for its rows
 */
public record BatchCommitted(
        String workspace,
        String table,
        long batchId,
        long rowCount,
        Instant minTimeGenerated,
        Instant maxTimeGenerated,
        Instant ingestionTime) {
    public BatchCommitted {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(minTimeGenerated, "minTimeGenerated is null");
        requireNonNull(maxTimeGenerated, "maxTimeGenerated is null");
        requireNonNull(ingestionTime, "ingestionTime is null");
        if (batchId <= 0 || rowCount < 0) {
            throw new IllegalArgumentException("need batchId > 0 and rowCount >= 0");
        }
    }
}
