package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import io.vigil.integrity.Finding.Kind;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.spi.StoredValues;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recomputes a workspace's chain from its stored rows and reports everything the chain does not vouch
 * for: rows changed, deleted, inserted or moved, batches deleted or added, chain entries altered or
 * missing, and checkpoints that are forged, stale or absent. Rows that a chained retention entry
 * deleted (older than its cutoff) are counted, not reported. Reads only: it runs on a copy of a data
 * folder with nothing but the public key.
 */
public final class Verifier {
    private final QuerySource source;
    private final StoredRows storedRows;
    private final Path checkpointFile;
    private final PublicKey publicKey;

    public Verifier(QuerySource source, IntegrityLayout layout, Path dataDir, PublicKey publicKey) {
        this.source = requireNonNull(source, "source is null");
        this.storedRows = new StoredRows(layout);
        this.checkpointFile = Checkpoints.file(requireNonNull(dataDir, "dataDir is null"));
        this.publicKey = requireNonNull(publicKey, "publicKey is null");
    }

    public VerifyReport verify() throws SQLException, IOException {
        Run run = new Run();
        try (Connection connection = source.newQueryConnection()) {
            if (!ChainTable.exists(connection)) {
                run.findings.add(Finding.ofChain(Kind.NO_CHAIN, "the database has no integrity chain"));
                return run.report();
            }
            ChainTable.readAll(connection, run::checkEntry);
            Map<String, StoredTable> stored = new TreeMap<>();
            for (StoredTable table : source.storedTables()) {
                // a table never written has no rows to vouch for; one the chain knows is checked below all the same
                if (table.materialized()) {
                    stored.put(table.name(), table);
                }
            }
            TreeSet<String> tables = new TreeSet<>(stored.keySet());
            tables.addAll(run.tablesWithBatches);
            for (String table : tables) {
                run.checkTable(connection, table, stored.get(table));
            }
        }
        run.checkCheckpoints(Checkpoints.read(checkpointFile));
        return run.report();
    }

    /** The state of one verification. */
    private final class Run {
        final List<Finding> findings = new ArrayList<>();
        final Map<Long, String> hashBySequence = new HashMap<>();
        final Map<String, Long> retentionCutoff = new HashMap<>();
        final TreeSet<String> tablesWithBatches = new TreeSet<>();
        long expectedSequence = 1;
        String previousHash = ChainEntry.GENESIS;
        long lastBatchId;
        long entries;
        long batches;
        long rowsChecked;
        long rowsExpired;
        long signedThrough;

        VerifyReport report() {
            return new VerifyReport(findings, entries, batches, rowsChecked, rowsExpired, signedThrough);
        }

        void checkEntry(ChainTable.Stored stored) {
            ChainEntry entry = stored.entry();
            entries++;
            if (entry.sequence() != expectedSequence) {
                findings.add(Finding.ofChain(
                        Kind.CHAIN_GAP,
                        "entries " + expectedSequence + " to " + (entry.sequence() - 1) + " are missing"));
            } else if (!entry.previousHash().equals(previousHash)) {
                findings.add(Finding.ofChain(
                        Kind.CHAIN_BROKEN, "entry " + entry.sequence() + " does not link to its predecessor"));
            }
            if (!entry.hash().equals(stored.storedHash())) {
                findings.add(new Finding(
                        Kind.CHAIN_BROKEN,
                        entry.table(),
                        entry.batchId(),
                        -1,
                        Optional.of(micros(entry.firstMicros())),
                        Optional.of(micros(entry.lastMicros())),
                        "entry " + entry.sequence() + " was altered: its fields no longer give its hash"));
            }
            expectedSequence = entry.sequence() + 1;
            previousHash = stored.storedHash();
            hashBySequence.put(entry.sequence(), entry.hash());
            switch (entry.kind()) {
                case BATCH -> {
                    batches++;
                    tablesWithBatches.add(entry.table());
                    lastBatchId = Math.max(lastBatchId, entry.batchId());
                    String digest = Digests.hex(Digests.sha256(stored.rowRecords()));
                    List<RowRecord> records = RowRecord.decode(stored.rowRecords());
                    if (!digest.equals(entry.digest()) || records == null || records.size() != entry.rowsHashed()) {
                        findings.add(batchFinding(
                                Kind.ROW_RECORDS_ALTERED, entry, "its stored row hashes no longer match its digest"));
                    }
                }
                case RETENTION -> retentionCutoff.merge(entry.table(), entry.firstMicros(), Math::max);
            }
        }

        private Finding batchFinding(Kind kind, ChainEntry entry, String detail) {
            return new Finding(
                    kind,
                    entry.table(),
                    entry.batchId(),
                    -1,
                    Optional.of(micros(entry.firstMicros())),
                    Optional.of(micros(entry.lastMicros())),
                    detail);
        }

        /** Merges the table's stored rows (by batch and sequence) with its chained batches (by batch id). */
        void checkTable(Connection connection, String table, StoredTable stored) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT batch_id, row_records FROM "
                    + ChainTable.NAME + " WHERE kind = 'batch' AND table_name = ? ORDER BY batch_id")) {
                statement.setString(1, table);
                try (ResultSet chained = statement.executeQuery()) {
                    BatchCursor cursor = new BatchCursor(table, chained);
                    if (stored != null) {
                        try (Connection rows = source.newQueryConnection()) {
                            storedRows.all(rows, stored, row -> {
                                rowsChecked++;
                                cursor.accept(row);
                            });
                        }
                    }
                    cursor.finish();
                }
            } catch (RuntimeSqlException e) {
                throw e.getCause();
            }
        }

        /** Walks a table's chained batches alongside its stored rows, one batch in memory at a time. */
        private final class BatchCursor {
            private final String table;
            private final ResultSet chained;
            private long batchId = -1;
            private List<RowRecord> records = List.of();
            private final List<StoredRow> observed = new ArrayList<>();
            private final Map<Long, List<StoredRow>> unchained = new LinkedHashMap<>();

            BatchCursor(String table, ResultSet chained) {
                this.table = table;
                this.chained = chained;
            }

            void accept(StoredRow row) {
                try {
                    while (batchId < row.batchId() && advance()) {
                        // batches of the chain before this row's batch are complete
                    }
                } catch (SQLException e) {
                    throw new RuntimeSqlException(e);
                }
                if (batchId == row.batchId()) {
                    observed.add(row);
                } else {
                    List<StoredRow> rows = unchained.computeIfAbsent(row.batchId(), ignored -> new ArrayList<>());
                    if (rows.size() < 2) {
                        rows.add(row);
                    }
                    unchainedCounts.merge(row.batchId(), 1L, Long::sum);
                }
            }

            private final Map<Long, Long> unchainedCounts = new TreeMap<>();

            /** Compares the current batch and moves to the next chained one; false when there is none. */
            private boolean advance() throws SQLException {
                if (batchId == Long.MAX_VALUE) {
                    return false;
                }
                if (batchId >= 0) {
                    compare();
                }
                observed.clear();
                if (!chained.next()) {
                    batchId = Long.MAX_VALUE;
                    return false;
                }
                batchId = chained.getLong(1);
                byte[] block = chained.getBytes(2);
                records = RowRecord.decode(block == null ? new byte[0] : block);
                if (records == null) {
                    records = List.of();
                }
                return true;
            }

            void finish() throws SQLException {
                while (advance()) {
                    // every chained batch after the last stored row
                }
                for (Map.Entry<Long, Long> batch : unchainedCounts.entrySet()) {
                    List<StoredRow> sample = unchained.get(batch.getKey());
                    String detail =
                            batch.getValue() + " rows of batch " + batch.getKey() + " that the chain does not have";
                    if (batch.getKey() > lastBatchId) {
                        detail += " (committed after the chain's newest batch: not yet hashed, or inserted)";
                    }
                    findings.add(new Finding(
                            Kind.EXTRA_BATCH,
                            table,
                            batch.getKey(),
                            -1,
                            time(sample.getFirst()),
                            time(sample.getLast()),
                            detail));
                }
            }

            private void compare() {
                Map<Long, RowRecord> bySequence = new HashMap<>();
                Map<String, Long> sequenceByHash = new HashMap<>();
                for (RowRecord record : records) {
                    bySequence.put(record.rowSequence(), record);
                    sequenceByHash.putIfAbsent(Digests.hex(record.hash()), record.rowSequence());
                }
                Map<Long, StoredRow> seen = new HashMap<>();
                for (StoredRow row : observed) {
                    RowRecord record = bySequence.get(row.rowSequence());
                    if (record == null || seen.putIfAbsent(row.rowSequence(), row) != null) {
                        findings.add(rowFinding(
                                Kind.EXTRA_ROW, row.rowSequence(), time(row), "a row the chain does not have"));
                        continue;
                    }
                    byte[] hash = CanonicalRow.hash(row.row());
                    if (record.sameHash(hash)) {
                        continue;
                    }
                    Long committedAt = sequenceByHash.get(Digests.hex(hash));
                    if (committedAt != null) {
                        findings.add(rowFinding(
                                Kind.REORDERED_ROW,
                                row.rowSequence(),
                                time(row),
                                "holds the row committed at sequence " + committedAt));
                    } else {
                        findings.add(rowFinding(
                                Kind.CHANGED_ROW,
                                row.rowSequence(),
                                time(row),
                                "its values differ from the ones hashed"));
                    }
                }
                List<RowRecord> missing = new ArrayList<>();
                for (RowRecord record : records) {
                    if (seen.containsKey(record.rowSequence())) {
                        continue;
                    }
                    if (expired(record)) {
                        rowsExpired++;
                    } else {
                        missing.add(record);
                    }
                }
                if (!missing.isEmpty() && missing.size() == records.size()) {
                    findings.add(new Finding(
                            Kind.MISSING_BATCH,
                            table,
                            batchId,
                            -1,
                            recordTime(missing.getFirst()),
                            recordTime(missing.getLast()),
                            "all " + missing.size() + " rows of the batch are gone"));
                    return;
                }
                for (RowRecord record : missing) {
                    findings.add(
                            rowFinding(Kind.MISSING_ROW, record.rowSequence(), recordTime(record), "the row is gone"));
                }
            }

            private boolean expired(RowRecord record) {
                Long cutoff = retentionCutoff.get(table);
                return cutoff != null && record.timeGeneratedMicros() != null && record.timeGeneratedMicros() < cutoff;
            }

            private Finding rowFinding(Kind kind, long rowSequence, Optional<Instant> time, String detail) {
                return new Finding(kind, table, batchId, rowSequence, time, time, detail);
            }
        }

        void checkCheckpoints(List<Checkpoints.Line> lines) {
            long lastSequence = expectedSequence - 1;
            for (Checkpoints.Line line : lines) {
                Checkpoint checkpoint = line.checkpoint();
                if (checkpoint == null) {
                    findings.add(Finding.ofChain(
                            Kind.CHECKPOINT_INVALID, "checkpoint line " + line.number() + ": " + line.problem()));
                    continue;
                }
                if (!Checkpoints.signatureHolds(publicKey, checkpoint)) {
                    findings.add(Finding.ofChain(
                            Kind.CHECKPOINT_INVALID,
                            "checkpoint line " + line.number() + ": the signature does not hold for this public key"));
                    continue;
                }
                String hash = hashBySequence.get(checkpoint.sequence());
                if (hash == null) {
                    findings.add(Finding.ofChain(
                            Kind.CHECKPOINT_MISMATCH,
                            "checkpoint line " + line.number() + " signs entry " + checkpoint.sequence()
                                    + ", which the chain no longer has (it ends at " + lastSequence + ")"));
                } else if (!hash.equals(checkpoint.entryHash())) {
                    findings.add(Finding.ofChain(
                            Kind.CHECKPOINT_MISMATCH,
                            "checkpoint line " + line.number() + " signs another entry " + checkpoint.sequence()
                                    + " than the chain has"));
                } else {
                    signedThrough = Math.max(signedThrough, checkpoint.sequence());
                }
            }
            if (signedThrough < lastSequence) {
                findings.add(Finding.ofChain(
                        Kind.UNSIGNED_ENTRIES,
                        "entries " + (signedThrough + 1) + " to " + lastSequence
                                + " are after the last valid signed checkpoint"));
            }
        }
    }

    private static Optional<Instant> time(StoredRow row) {
        return Optional.ofNullable(row.timeGeneratedMicros()).map(Verifier::micros);
    }

    private static Optional<Instant> recordTime(RowRecord record) {
        return Optional.ofNullable(record.timeGeneratedMicros()).map(Verifier::micros);
    }

    private static Instant micros(long epochMicros) {
        return StoredValues.fromEpochMicros(epochMicros);
    }

    /** Carries a SQL failure out of a row callback. */
    private static final class RuntimeSqlException extends RuntimeException {
        RuntimeSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
