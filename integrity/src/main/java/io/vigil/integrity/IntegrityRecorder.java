package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitListener;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.EventStore;
import io.vigil.spi.RetentionRun;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.StoredTable;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a workspace's hash chain: a durable subscriber of the commit stream that, for every committed
 * batch in commit order, reads its rows back, hashes each in its canonical encoding, and appends a chain
 * entry; retention runs are appended as entries too. The head is signed into the checkpoint log at most
 * once per {@code checkpointInterval} and when the recorder closes.
 */
public final class IntegrityRecorder implements CommitListener, AutoCloseable {
    /** The durable name of the chain's commit stream subscription. */
    public static final String SUBSCRIBER = "integrity";

    private static final Logger LOG = Logger.getLogger(IntegrityRecorder.class.getName());

    private final EventStore store;
    private final StoredRows storedRows;
    private final java.security.KeyPair keys;
    private final Clock clock;
    private final Duration checkpointInterval;
    private final Map<String, StoredTable> tables = new ConcurrentHashMap<>();
    private ChainTable.Head head;
    private long checkpointedSequence;
    private Instant lastCheckpoint = Instant.MIN;
    private volatile CommitSubscription subscription;

    private IntegrityRecorder(EventStore store, IntegrityLayout layout, Clock clock, Duration checkpointInterval) {
        this.store = requireNonNull(store, "store is null");
        this.storedRows = new StoredRows(layout);
        this.clock = requireNonNull(clock, "clock is null");
        this.checkpointInterval = requireNonNull(checkpointInterval, "checkpointInterval is null");
        this.keys = SigningKeys.loadOrCreate(store.dataDir());
        try (Connection connection = store.newQueryConnection()) {
            ChainTable.create(connection);
            head = ChainTable.head(connection);
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot open the integrity chain", e);
        }
        // a chain that was signed before needs no new checkpoint until it grows
        if (java.nio.file.Files.exists(Checkpoints.file(store.dataDir()))) {
            checkpointedSequence = head.sequence();
        }
    }

    /** Opens the chain (creating it and the signing key on first use) and starts hashing committed batches. */
    public static IntegrityRecorder start(
            EventStore store, IntegrityLayout layout, Clock clock, Duration checkpointInterval) {
        IntegrityRecorder recorder = new IntegrityRecorder(store, layout, clock, checkpointInterval);
        recorder.subscription = store.subscribe(SUBSCRIBER, SubscriptionStart.EARLIEST, recorder);
        return recorder;
    }

    @Override
    public void onBatch(BatchCommitted batch) throws SQLException, IOException {
        synchronized (this) {
            // a batch delivered again after a crash is in the chain already
            if (batch.batchId() <= head.lastBatchId()) {
                return;
            }
        }
        List<RowRecord> records = new ArrayList<>();
        try (Connection connection = store.newQueryConnection()) {
            StoredTable table = table(batch.table());
            for (StoredRow row : storedRows.batch(connection, table, batch.batchId())) {
                records.add(RowRecord.of(row));
            }
            byte[] block = RowRecord.encode(records);
            synchronized (this) {
                append(
                        connection,
                        ChainEntry.Kind.BATCH,
                        batch.table(),
                        batch.batchId(),
                        batch.rowCount(),
                        records.size(),
                        batch.minTimeGenerated(),
                        batch.maxTimeGenerated(),
                        batch.ingestionTime(),
                        Digests.hex(Digests.sha256(block)),
                        block);
                if (!clock.instant().isBefore(lastCheckpoint.plus(checkpointInterval))) {
                    checkpoint();
                }
            }
        }
    }

    /** Appends what a retention pass deleted: one entry per table it deleted rows of, with the cutoff. */
    public synchronized void recordRetention(RetentionRun run) {
        try (Connection connection = store.newQueryConnection()) {
            for (Map.Entry<String, Long> deleted : new java.util.TreeMap<>(run.rowsDeletedByTable()).entrySet()) {
                Instant cutoff = run.cutoffByTable().get(deleted.getKey());
                if (cutoff == null) {
                    continue;
                }
                append(
                        connection,
                        ChainEntry.Kind.RETENTION,
                        deleted.getKey(),
                        0,
                        deleted.getValue(),
                        0,
                        cutoff,
                        cutoff,
                        run.executedAt(),
                        "",
                        new byte[0]);
            }
            checkpoint();
        } catch (SQLException | IOException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot record a retention run in the chain", e);
        }
    }

    private void append(
            Connection connection,
            ChainEntry.Kind kind,
            String table,
            long batchId,
            long rowCount,
            long rowsHashed,
            Instant first,
            Instant last,
            Instant recorded,
            String digest,
            byte[] block)
            throws SQLException {
        ChainEntry entry = new ChainEntry(
                head.sequence() + 1,
                kind,
                store.workspaceId(),
                table,
                batchId,
                rowCount,
                rowsHashed,
                CanonicalRow.epochMicros(first),
                CanonicalRow.epochMicros(last),
                CanonicalRow.epochMicros(recorded),
                digest,
                head.hash());
        String hash = entry.hash();
        ChainTable.append(connection, entry, hash, block);
        head = new ChainTable.Head(entry.sequence(), hash, Math.max(head.lastBatchId(), batchId));
    }

    /** Signs the chain's head into the checkpoint log, unless it is signed already. */
    public synchronized void checkpoint() throws IOException {
        if (head.sequence() <= checkpointedSequence) {
            return;
        }
        Instant now = clock.instant();
        Checkpoints.append(
                store.dataDir(),
                Checkpoints.sign(keys.getPrivate(), store.workspaceId(), head.sequence(), head.hash(), now));
        checkpointedSequence = head.sequence();
        lastCheckpoint = now;
    }

    /** Waits (bounded) until every batch committed so far is in the chain; false when the time ran out. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!subscription.caughtUp()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private StoredTable table(String name) {
        StoredTable table = tables.get(name);
        if (table == null) {
            // custom tables appear at run time: look again
            store.storedTables().forEach(stored -> tables.put(stored.name(), stored));
            table = Optional.ofNullable(tables.get(name))
                    .orElseThrow(() ->
                            new VigilException(StandardErrorCode.STORE_FAILURE, "batch of unknown table " + name));
        }
        return table;
    }

    /** Stops hashing (the position stays) and signs the head. */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        try {
            checkpoint();
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot sign the integrity chain's head; verify reports it unsigned", e);
        }
    }
}
