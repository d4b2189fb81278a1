package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.BatchCommitted;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A workspace in which the table of one committed batch holds only that batch's rows (those with its
 * ingestion time) and every other table is whole: what an NRT rule's query runs on, so a join or union
 * with other tables still sees their rows. Each connection gets a temporary table named like the table
 * holding the batch's rows, which DuckDB resolves before the stored table (temp comes first in its search
 * path).
 */
final class BatchSource implements QuerySource {
    private final QuerySource workspace;
    private final StoredTable table;
    private final BatchCommitted batch;

    BatchSource(QuerySource workspace, StoredTable table, BatchCommitted batch) {
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.table = requireNonNull(table, "table is null");
        this.batch = requireNonNull(batch, "batch is null");
        if (table.ingestionTimeColumn().isEmpty()) {
            throw new IllegalArgumentException("table " + table.name() + " has no ingestion time column");
        }
    }

    @Override
    public List<StoredTable> storedTables() {
        return workspace.storedTables();
    }

    @Override
    public Connection newQueryConnection() throws SQLException {
        Connection connection = workspace.newQueryConnection();
        try (Statement statement = connection.createStatement()) {
            String database;
            try (ResultSet current = statement.executeQuery("SELECT current_database()")) {
                current.next();
                database = current.getString(1);
            }
            // a copy of the batch's rows, not a view: DuckDB refuses a view named like the table it reads
            // ("infinite recursion"); spelled with its database, as temp.main comes first in the search path.
            // The bare column against a constant lets DuckDB skip row groups by their min/max (ingestion time
            // only grows); epoch_us(column) = … scanned the whole table for every batch

            String name = quote(table.name());
            statement.execute("CREATE OR REPLACE TEMP TABLE " + name + " AS SELECT * FROM " + quote(database)
                    + ".main." + name + " WHERE "
                    + quote(table.ingestionTimeColumn().get()) + " = make_timestamp("
                    + RuleStateLedger.micros(batch.ingestionTime()) + ")");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
