package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads rows back from the store's SQL with their batch id and row sequence. The recorder and the verifier
 * read through this one class, so the values they hash are decoded the same way (datetimes and timespans
 * as microseconds, dynamic as its text).
 */
final class StoredRows {
    private final IntegrityLayout layout;

    StoredRows(IntegrityLayout layout) {
        this.layout = requireNonNull(layout, "layout is null");
    }

    /** The rows of one batch, in row sequence order. */
    List<StoredRow> batch(Connection connection, StoredTable table, long batchId) throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(select(table, true))) {
            statement.setLong(1, batchId);
            read(statement, table.schema(), rows::add);
        }
        return rows;
    }

    /** Every row of the table, ordered by batch id and row sequence. */
    void all(Connection connection, StoredTable table, Consumer<StoredRow> consumer) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(select(table, false))) {
            read(statement, table.schema(), consumer);
        }
    }

    private String select(StoredTable table, boolean oneBatch) {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(quote(layout.batchIdColumn()))
                .append(", ")
                .append(quote(layout.rowSequenceColumn()));
        TableSchema schema = table.schema();
        for (int i = 0; i < schema.columnCount(); i++) {
            String column = quote(table.physicalNames().get(i));
            sql.append(", ");
            switch (schema.columns().get(i).type()) {
                case DATETIME, TIMESPAN ->
                    sql.append("epoch_us(").append(column).append(")");
                case DYNAMIC -> sql.append("CAST(").append(column).append(" AS VARCHAR)");
                case STRING, GUID, INT, LONG, REAL, BOOL -> sql.append(column);
            }
        }
        sql.append(" FROM ").append(quote(table.name()));
        if (oneBatch) {
            sql.append(" WHERE ").append(quote(layout.batchIdColumn())).append(" = ?");
        }
        return sql.append(" ORDER BY 1, 2").toString();
    }

    private static void read(PreparedStatement statement, TableSchema schema, Consumer<StoredRow> consumer)
            throws SQLException {
        statement.setFetchSize(2048);
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                Row.Builder row = schema.newRow();
                for (int i = 0; i < schema.columnCount(); i++) {
                    row.set(i, value(result, i + 3, schema.columns().get(i).type()));
                }
                consumer.accept(new StoredRow(result.getLong(1), result.getLong(2), row.build()));
            }
        }
    }

    private static Object value(ResultSet result, int index, ColumnType type) throws SQLException {
        Object value = switch (type) {
            case STRING, GUID -> result.getString(index);
            case INT -> result.getInt(index);
            case LONG -> result.getLong(index);
            case REAL -> result.getDouble(index);
            case BOOL -> result.getBoolean(index);
            case DATETIME -> instant(result.getLong(index));
            case TIMESPAN -> Duration.ofNanos(Math.multiplyExact(result.getLong(index), 1000L));
            case DYNAMIC -> {
                String json = result.getString(index);
                yield json == null ? null : new Dynamic(json);
            }
        };
        if (result.wasNull()) {
            return null;
        }
        return value;
    }

    private static Instant instant(long epochMicros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000L);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
