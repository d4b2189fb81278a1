package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing verify found that the chain does not vouch for.
 *
 * @param kind what was found
 * @param table the table concerned ("" for the chain or checkpoints as a whole)
 * @param batchId the batch concerned, 0 when none
 * @param rowSequence the row's sequence number, -1 when the finding is not about one row
 * @param from the earliest TimeGenerated concerned, when known
 * @param to the latest TimeGenerated concerned, when known
 * @param detail what exactly, for a person
 */
public record Finding(
        Kind kind,
        String table,
        long batchId,
        long rowSequence,
        Optional<Instant> from,
        Optional<Instant> to,
        String detail) {
    public enum Kind {
        /** A row's values differ from the ones hashed. */
        CHANGED_ROW,
        /** A row the chain has is gone, and no recorded retention explains it. */
        MISSING_ROW,
        /** Every row of a batch is gone, and no recorded retention explains it. */
        MISSING_BATCH,
        /** A row the chain does not have, in a batch it does have. */
        EXTRA_ROW,
        /** Rows of a batch the chain does not have. */
        EXTRA_BATCH,
        /** A row the chain has, found at another position than it was committed at. */
        REORDERED_ROW,
        /** A batch's stored row hashes no longer match the digest its chain entry holds. */
        ROW_RECORDS_ALTERED,
        /** A chain entry's fields or link to its predecessor no longer hash right. */
        CHAIN_BROKEN,
        /** Entries are missing from the chain. */
        CHAIN_GAP,
        /** A checkpoint line whose signature does not hold or that cannot be read. */
        CHECKPOINT_INVALID,
        /** A signed checkpoint names a head the chain no longer has. */
        CHECKPOINT_MISMATCH,
        /** Chain entries after the last signed checkpoint. */
        UNSIGNED_ENTRIES,
        /** The database has no chain at all. */
        NO_CHAIN
    }

    public Finding {
        requireNonNull(kind, "kind is null");
        requireNonNull(table, "table is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(detail, "detail is null");
    }

    static Finding ofChain(Kind kind, String detail) {
        return new Finding(kind, "", 0, -1, Optional.empty(), Optional.empty(), detail);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(kind.name());
        if (!table.isEmpty()) {
            text.append(" table=").append(table);
        }
        if (batchId > 0) {
            text.append(" batch=").append(batchId);
        }
        if (rowSequence >= 0) {
            text.append(" row=").append(rowSequence);
        }
        from.ifPresent(time -> text.append(" from=").append(time));
        to.ifPresent(time -> text.append(" to=").append(time));
        return text.append(": ").append(detail).toString();
    }
}
