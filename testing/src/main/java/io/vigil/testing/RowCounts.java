package io.vigil.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Counts rows with SQL straight on the store's database, for tests that wait for rows to land. The store
 * creates a table's DuckDB table at its first write, so before that a count of it is zero, not an error.
 */
public final class RowCounts {
    private RowCounts() {}

    /** The first column of the first row of {@code sql} (a {@code count(*)}), or 0 when its table is not created yet. */
    public static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("Catalog Error: Table with name")) {
                return 0;
            }
            throw e;
        }
    }
}
