package io.vigil.spi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * How a stored column is read back into a {@link Row} value: the SQL that selects it (datetimes and
 * timespans as epoch microseconds, dynamic as its JSON text) and the decoding of that result. The commit
 * stream and the integrity chain read rows through this one mapping, so they see the same values.
 */
public final class StoredValues {
    private StoredValues() {}

    /** The select expression for a column, given its already quoted name. */
    public static String selectExpression(String quotedColumn, ColumnType type) {
        return switch (type) {
            case DATETIME, TIMESPAN -> "epoch_us(" + quotedColumn + ")";
            case DYNAMIC -> "CAST(" + quotedColumn + " AS VARCHAR)";
            case STRING, GUID, INT, LONG, REAL, BOOL -> quotedColumn;
        };
    }

    /** The value of the column selected by {@link #selectExpression} at {@code index}, null when SQL NULL. */
    public static Object read(ResultSet result, int index, ColumnType type) throws SQLException {
        Object value = switch (type) {
            case STRING, GUID -> result.getString(index);
            case INT -> result.getInt(index);
            case LONG -> result.getLong(index);
            case REAL -> result.getDouble(index);
            case BOOL -> result.getBoolean(index);
            case DATETIME -> fromEpochMicros(result.getLong(index));
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

    public static Instant fromEpochMicros(long epochMicros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000L);
    }
}
