package io.vigil.integrity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * The chain as the workspace's database keeps it: one row per entry, with its hash and, for a batch, its
 * row records block. Anyone who can write the database can rewrite it; what they cannot forge is a
 * signed checkpoint over its head ({@link Checkpoints}), which is why verify recomputes everything.
 */
final class ChainTable {
    static final String NAME = "_vigil_integrity_chain";

    private static final String DDL = "CREATE TABLE IF NOT EXISTS " + NAME + " (sequence BIGINT PRIMARY KEY,"
            + " kind VARCHAR NOT NULL, workspace VARCHAR NOT NULL, table_name VARCHAR NOT NULL,"
            + " batch_id BIGINT NOT NULL, row_count BIGINT NOT NULL, rows_hashed BIGINT NOT NULL,"
            + " first_micros BIGINT NOT NULL, last_micros BIGINT NOT NULL, recorded_micros BIGINT NOT NULL,"
            + " digest VARCHAR NOT NULL, previous_hash VARCHAR NOT NULL, entry_hash VARCHAR NOT NULL,"
            + " row_records BLOB)";

    /** An entry as read back: its fields, the hash stored beside them and the row records block. */
    record Stored(ChainEntry entry, String storedHash, byte[] rowRecords) {}

    /** The newest entry's sequence and hash, and the newest batch the chain covers. */
    record Head(long sequence, String hash, long lastBatchId) {
        static final Head EMPTY = new Head(0, ChainEntry.GENESIS, 0);
    }

    private ChainTable() {}

    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(DDL);
        }
    }

    static boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            statement.setString(1, NAME);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1) > 0;
            }
        }
    }

    static Head head(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT sequence, entry_hash, (SELECT coalesce(max(batch_id), 0)"
                                + " FROM " + NAME + ") FROM " + NAME + " ORDER BY sequence DESC LIMIT 1")) {
            if (!result.next()) {
                return Head.EMPTY;
            }
            return new Head(result.getLong(1), result.getString(2), result.getLong(3));
        }
    }

    static void append(Connection connection, ChainEntry entry, String hash, byte[] rowRecords) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + NAME + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, entry.sequence());
            insert.setString(2, entry.kind().word());
            insert.setString(3, entry.workspace());
            insert.setString(4, entry.table());
            insert.setLong(5, entry.batchId());
            insert.setLong(6, entry.rowCount());
            insert.setLong(7, entry.rowsHashed());
            insert.setLong(8, entry.firstMicros());
            insert.setLong(9, entry.lastMicros());
            insert.setLong(10, entry.recordedMicros());
            insert.setString(11, entry.digest());
            insert.setString(12, entry.previousHash());
            insert.setString(13, hash);
            insert.setBytes(14, rowRecords);
            insert.executeUpdate();
        }
    }

    /** Every entry in sequence order. */
    static void readAll(Connection connection, Consumer<Stored> consumer) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(512);
            try (ResultSet result = statement.executeQuery("SELECT sequence, kind, workspace, table_name, batch_id,"
                    + " row_count, rows_hashed, first_micros, last_micros, recorded_micros, digest, previous_hash,"
                    + " entry_hash, row_records FROM " + NAME + " ORDER BY sequence")) {
                while (result.next()) {
                    ChainEntry entry = new ChainEntry(
                            result.getLong(1),
                            ChainEntry.Kind.of(result.getString(2)),
                            result.getString(3),
                            result.getString(4),
                            result.getLong(5),
                            result.getLong(6),
                            result.getLong(7),
                            result.getLong(8),
                            result.getLong(9),
                            result.getLong(10),
                            result.getString(11),
                            result.getString(12));
                    byte[] block = result.getBytes(14);
                    if (block == null) {
                        block = new byte[0];
                    }
                    consumer.accept(new Stored(entry, result.getString(13), block));
                }
            }
        }
    }
}
