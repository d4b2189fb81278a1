package io.vigil.sql;

import io.vigil.spi.ColumnType;
import java.util.Locale;

/**
 * How Vigil's values are named in DuckDB, in one place: the store's DDL, the SQL the engine writes, and the
 * code that reads stored rows back all use these, so a column type or an identifier cannot be spelled two
 * ways. Datetimes are UTC {@code TIMESTAMP}s, timespans {@code INTERVAL}s, dynamic is DuckDB {@code JSON}.
 */
public final class DuckDbSchema {
    private DuckDbSchema() {}

    /** A quoted identifier: double quotes, embedded double quotes doubled. */
    public static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The DuckDB type a column of this type is stored as. */
    public static String typeName(ColumnType type) {
        return switch (type) {
            case STRING, GUID -> "VARCHAR";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case REAL -> "DOUBLE";
            case BOOL -> "BOOLEAN";
            case DATETIME -> "TIMESTAMP";
            case TIMESPAN -> "INTERVAL";
            case DYNAMIC -> "JSON";
        };
    }

    /** The column type a stored DuckDB column maps back to (GUIDs read back as strings). */
    public static ColumnType columnType(String duckDbType) {
        return switch (duckDbType.toUpperCase(Locale.ROOT)) {
            case "INTEGER", "INT", "SMALLINT", "TINYINT" -> ColumnType.INT;
            case "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER" -> ColumnType.LONG;
            case "DOUBLE", "FLOAT", "REAL" -> ColumnType.REAL;
            case "BOOLEAN" -> ColumnType.BOOL;
            case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS" -> ColumnType.DATETIME;
            case "INTERVAL" -> ColumnType.TIMESPAN;
            case "JSON" -> ColumnType.DYNAMIC;
            default -> ColumnType.STRING;
        };
    }
}
