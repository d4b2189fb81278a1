package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.Row;
import io.vigil.spi.StoredTable;
import io.vigil.spi.StoredValues;
import io.vigil.spi.TableSchema;
import io.vigil.sql.DuckDbSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
            sql.append(", ")
                    .append(StoredValues.selectExpression(
                            quote(table.physicalNames().get(i)),
                            schema.columns().get(i).type()));
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
                    row.set(
                            i,
                            StoredValues.read(
                                    result, i + 3, schema.columns().get(i).type()));
                }
                consumer.accept(new StoredRow(result.getLong(1), result.getLong(2), row.build()));
            }
        }
    }

    static String quote(String identifier) {
        return DuckDbSchema.quoteIdentifier(identifier);
    }
}
