package io.vigil.store;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitListener;
import io.vigil.spi.CommitStream;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.QueryConnections;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.StoredValues;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The commit stream over the batch ledger: every committed batch has a row in {@code _vigil_batches},
 * written in the batch's own transaction, so the ledger is exactly the durable log of commits.
 * Subscribers' positions are kept in {@code _vigil_subscriptions}, one row per name.
 */
final class CommitLog {
    private static final Logger LOG = Logger.getLogger(CommitLog.class.getName());
    private static final int PAGE = 512;
    private static final long WAIT_MILLIS = 500;
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final QueryConnections connections;
    private final BatchSequence sequence;
    private final Function<String, TableSchema> schemas;
    private final String workspace;
    private final Clock clock;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Set<Subscription> running = ConcurrentHashMap.newKeySet();

    CommitLog(
            QueryConnections connections,
            BatchSequence sequence,
            Function<String, TableSchema> schemas,
            String workspace,
            Clock clock) {
        this.connections = requireNonNull(connections, "connections is null");
        this.sequence = requireNonNull(sequence, "sequence is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    CommitSubscription subscribe(String name, SubscriptionStart start, CommitListener listener) {
        requireNonNull(name, "name is null");
        requireNonNull(start, "start is null");
        requireNonNull(listener, "listener is null");
        if (name.isBlank()) {
            throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, "a subscriber needs a name");
        }
        if (!active.add(name)) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, "subscriber " + name + " is subscribed already");
        }
        try {
            Subscription subscription = new Subscription(name, startPosition(name, start), listener);
            running.add(subscription);
            subscription.thread.start();
            return subscription;
        } catch (RuntimeException e) {
            active.remove(name);
            throw e;
        }
    }

    private long startPosition(String name, SubscriptionStart start) {
        try (Connection connection = connections.newQueryConnection()) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT last_batch_id FROM " + StoreTables.SUBSCRIPTIONS + " WHERE subscriber = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return rows.getLong(1);
                    }
                }
            }
            long position = switch (start) {
                case EARLIEST -> 0;
                case LATEST -> sequence.settled();
            };
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + StoreTables.SUBSCRIPTIONS + " VALUES (?, ?, make_timestamp(?))")) {
                insert.setString(1, name);
                insert.setLong(2, position);
                insert.setLong(3, CsvBatchEncoder.epochMicros(clock.instant()));
                insert.executeUpdate();
            }
            return position;
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read the position of " + name, e);
        }
    }

    /** Stops every subscription (the store is closing); their positions stay. */
    void close() {
        for (Subscription subscription : List.copyOf(running)) {
            subscription.close();
        }
    }

    List<Row> rows(BatchCommitted batch) {
        TableSchema schema = schemas.apply(batch.table());
        List<String> physical = SchemaDdl.physicalColumnNames(schema);
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < schema.columnCount(); i++) {
            select.append(StoredValues.selectExpression(
                    SqlNames.quoteIdentifier(physical.get(i)),
                    schema.columns().get(i).type()));
            select.append(", ");
        }
        select.setLength(select.length() - 2);
        select.append(" FROM ")
                .append(SqlNames.quoteIdentifier(schema.name()))
                .append(" WHERE ")
                .append(SqlNames.quoteIdentifier(HiddenColumns.BATCH_ID))
                .append(" = ? ORDER BY ")
                .append(SqlNames.quoteIdentifier(HiddenColumns.ROW_SEQUENCE));
        List<Row> rows = new ArrayList<>();
        try (Connection connection = connections.newQueryConnection();
                PreparedStatement statement = connection.prepareStatement(select.toString())) {
            statement.setLong(1, batch.batchId());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Row.Builder row = schema.newRow();
                    for (int i = 0; i < schema.columnCount(); i++) {
                        row.set(
                                i,
                                StoredValues.read(
                                        result, i + 1, schema.columns().get(i).type()));
                    }
                    rows.add(row.build());
                }
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read batch " + batch.batchId(), e);
        }
        return rows;
    }

    List<CommitStream.Backlog> backlog(long after) {
        List<CommitStream.Backlog> backlog = new ArrayList<>();
        try (Connection connection = connections.newQueryConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT table_name, count(*),"
                        + " sum(row_count), epoch_us(min(committed_at)) FROM " + StoreTables.BATCHES
                        + " WHERE batch_id > ? GROUP BY table_name ORDER BY table_name")) {
            statement.setLong(1, after);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    backlog.add(new CommitStream.Backlog(
                            rows.getString(1), rows.getLong(2), rows.getLong(3), instant(rows.getLong(4))));
                }
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read the commit stream's backlog", e);
        }
        return backlog;
    }

    private static Instant instant(long epochMicros) {
        return StoredValues.fromEpochMicros(epochMicros);
    }

    /** Batches after {@code after} up to {@code upTo}, in id order, at most a page. */
    private List<BatchCommitted> page(Connection connection, long after, long upTo) throws SQLException {
        List<BatchCommitted> batches = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT batch_id, table_name, row_count,"
                + " epoch_us(committed_at), epoch_us(coalesce(min_time_generated, committed_at)),"
                + " epoch_us(coalesce(max_time_generated, committed_at)) FROM " + StoreTables.BATCHES
                + " WHERE batch_id > ? AND batch_id <= ? ORDER BY batch_id LIMIT " + PAGE)) {
            statement.setLong(1, after);
            statement.setLong(2, upTo);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    batches.add(new BatchCommitted(
                            workspace,
                            rows.getString(2),
                            rows.getLong(1),
                            rows.getLong(3),
                            instant(rows.getLong(5)),
                            instant(rows.getLong(6)),
                            instant(rows.getLong(4))));
                }
            }
        }
        return batches;
    }

    private final class Subscription implements CommitSubscription {
        private final String name;
        private final CommitListener listener;
        private final Thread thread;
        private volatile long position;
        /** Every batch up to here was delivered or never existed (ids of rolled-back batches). */
        private volatile long scannedThrough;

        private volatile boolean closed;

        Subscription(String name, long position, CommitListener listener) {
            this.name = name;
            this.position = position;
            this.scannedThrough = position;
            this.listener = listener;
            this.thread = Thread.ofPlatform()
                    .name("vigil-commit-stream-" + name)
                    .daemon()
                    .unstarted(this::run);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public boolean caughtUp() {
            return scannedThrough >= sequence.settled();
        }

        private void run() {
            try (Connection connection = connections.newQueryConnection()) {
                while (!closed) {
                    long settled = sequence.awaitSettledAbove(scannedThrough, WAIT_MILLIS);
                    if (settled <= scannedThrough) {
                        continue;
                    }
                    List<BatchCommitted> batches = page(connection, scannedThrough, settled);
                    for (BatchCommitted batch : batches) {
                        if (!deliver(batch)) {
                            return;
                        }
                        acknowledge(connection, batch);
                    }
                    if (batches.size() < PAGE) {
                        scannedThrough = settled;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException | RuntimeException e) {
                LOG.log(
                        Level.SEVERE,
                        "commit stream of " + name + " stopped; it resumes from its position"
                                + " when subscribed again",
                        e);
            } finally {
                running.remove(this);
                active.remove(name);
            }
        }

        /** Hands the batch to the listener until it takes it; false when closed meanwhile. */
        private boolean deliver(BatchCommitted batch) throws InterruptedException {
            Duration pause = FIRST_RETRY;
            while (!closed) {
                try {
                    listener.onBatch(batch);
                    return true;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    LOG.log(
                            Level.WARNING,
                            "subscriber " + name + " failed on batch " + batch.batchId() + "; retrying in " + pause,
                            e);
                    Thread.sleep(pause.toMillis());
                    pause = pause.multipliedBy(2);
                    if (pause.compareTo(LAST_RETRY) > 0) {
                        pause = LAST_RETRY;
                    }
                }
            }
            return false;
        }

        private void acknowledge(Connection connection, BatchCommitted batch) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + StoreTables.SUBSCRIPTIONS
                    + " SET last_batch_id = ?, updated_at = make_timestamp(?) WHERE subscriber = ?")) {
                update.setLong(1, batch.batchId());
                update.setLong(2, CsvBatchEncoder.epochMicros(clock.instant()));
                update.setString(3, name);
                update.executeUpdate();
            }
            position = batch.batchId();
            scannedThrough = batch.batchId();
        }

        @Override
        public void close() {
            closed = true;
            if (Thread.currentThread() == thread) {
                return;
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
