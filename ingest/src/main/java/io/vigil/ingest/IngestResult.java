package io.vigil.ingest;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.DeadLetterReason;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one input became, counted once its rows and dead letters are committed.
 *
 * @param format the format that parsed it ("" when none could be chosen)
 * @param rowsByTable committed rows per table
 * @param deadLettersByReason dead-lettered parts per reason code
 * @param repairsByReason repairs made before parsing, per reason code
 */
public record IngestResult(
        String format,
        SortedMap<String, Long> rowsByTable,
        SortedMap<String, Long> deadLettersByReason,
        SortedMap<String, Long> repairsByReason) {
    public IngestResult {
        requireNonNull(format, "format is null");
        rowsByTable = new TreeMap<>(rowsByTable);
        deadLettersByReason = new TreeMap<>(deadLettersByReason);
        repairsByReason = new TreeMap<>(repairsByReason);
    }

    /** An input that became a single dead letter before any format saw it. */
    public static IngestResult deadLettered(DeadLetterReason reason) {
        TreeMap<String, Long> reasons = new TreeMap<>();
        reasons.put(reason.code(), 1L);
        return new IngestResult("", new TreeMap<>(), reasons, new TreeMap<>());
    }

    public long rows() {
        return sum(rowsByTable);
    }

    public long deadLetters() {
        return sum(deadLettersByReason);
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
