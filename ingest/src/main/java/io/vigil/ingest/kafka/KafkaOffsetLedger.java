package io.vigil.ingest.kafka;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.EventStore;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Per consumer group and partition, the offset after the last message whose rows are committed in the
 * store. Kafka's own committed offset is written after this one, so when a consumer dies between the
 * two, the redelivered messages below this mark are skipped instead of stored twice.
 *
 * <p>The table lives in the workspace database next to the import ledger; its name starts with
 * {@code _vigil_}, so queries never see it.
 */
public final class KafkaOffsetLedger {
    static final String TABLE = "_vigil_kafka_offsets";

    private final EventStore store;
    private final Clock clock;

    public KafkaOffsetLedger(EventStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (group_id VARCHAR NOT NULL,"
                    + " topic VARCHAR NOT NULL, partition_id INTEGER NOT NULL, next_offset BIGINT NOT NULL,"
                    + " updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (group_id, topic, partition_id))");
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot create the Kafka offset ledger", e);
        }
    }

    /** The offset of the first message not yet stored, when any message of the partition was. */
    public OptionalLong nextOffset(String groupId, String topic, int partition) {
        try (Connection connection = store.newQueryConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT next_offset FROM " + TABLE
                        + " WHERE group_id = ? AND topic = ? AND partition_id = ?")) {
            statement.setString(1, groupId);
            statement.setString(2, topic);
            statement.setInt(3, partition);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    return OptionalLong.of(rows.getLong(1));
                }
                return OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read the Kafka offset ledger", e);
        }
    }

    /** Records, in one transaction, the next offsets of partitions whose messages are now stored. */
    public void record(String groupId, Map<PartitionKey, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (Connection connection = store.newQueryConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT OR REPLACE INTO " + TABLE + " VALUES (?, ?, ?, ?, to_timestamp(? / 1000.0))")) {
                long now = clock.millis();
                for (Map.Entry<PartitionKey, Long> entry : nextOffsets.entrySet()) {
                    statement.setString(1, groupId);
                    statement.setString(2, entry.getKey().topic());
                    statement.setInt(3, entry.getKey().partition());
                    statement.setLong(4, entry.getValue());
                    statement.setLong(5, now);
                    statement.executeUpdate();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot write the Kafka offset ledger", e);
        }
    }

    /** A topic partition in Vigil's terms, so the ledger does not depend on the client library. */
    public record PartitionKey(String topic, int partition) {
        public PartitionKey {
            requireNonNull(topic, "topic is null");
        }
    }
}
