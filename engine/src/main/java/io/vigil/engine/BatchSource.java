package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.BatchCommitted;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.StoredTable;
import io.vigil.spi.VigilException;
import io.vigil.sql.DuckDbSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * One committed batch as a workspace: the batch's table holds exactly that batch's rows (by the source's
 * {@link QuerySource#batchIdColumn() batch column}). In {@link #of} no other table exists, so a query run
 * here reads nothing but the batch: what a forwarding route's filter runs on, like an Azure data export rule
 * that sees each table's rows as they arrive. In {@link #withOtherTables} every other table is whole: what
 * an NRT rule runs on, so its joins and unions still see the rest of the workspace.
 *
 * <p>Each connection gets a temporary table named like the stored one holding a copy of the batch's rows,
 * which DuckDB resolves before the stored table (temp comes first in its search path); a view would not do,
 * DuckDB refuses a view named like the table it reads.
 */
public final class BatchSource implements QuerySource {
    private final QuerySource workspace;
    private final StoredTable table;
    private final String batchColumn;
    private final long batchId;
    private final boolean otherTables;

    private BatchSource(
            QuerySource workspace, StoredTable table, String batchColumn, long batchId, boolean otherTables) {
        this.workspace = workspace;
        this.table = table;
        this.batchColumn = batchColumn;
        this.batchId = batchId;
        this.otherTables = otherTables;
    }

    /**
     * The batch's rows as its table.
     *
     * @throws VigilException INVALID_ARGUMENT when the workspace has no such table or keeps no batch ids
     */
    public static BatchSource of(QuerySource workspace, BatchCommitted batch) {
        return create(workspace, batch, false);
    }

    /**
     * The batch's rows as its table, beside every other table of the workspace, whole.
     *
     * @throws VigilException INVALID_ARGUMENT when the workspace has no such table or keeps no batch ids
     */
    public static BatchSource withOtherTables(QuerySource workspace, BatchCommitted batch) {
        return create(workspace, batch, true);
    }

    private static BatchSource create(QuerySource workspace, BatchCommitted batch, boolean otherTables) {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(batch, "batch is null");
        StoredTable table = workspace
                .storedTable(batch.table())
                .orElseThrow(() -> new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT, "no table " + batch.table() + " in the workspace"));
        String column = workspace
                .batchIdColumn()
                .orElseThrow(() ->
                        new VigilException(StandardErrorCode.INVALID_ARGUMENT, "the workspace keeps no batch ids"));
        return new BatchSource(workspace, table, column, batch.batchId(), otherTables);
    }

    /** The batch's table, as stored, and with {@link #withOtherTables} every other one. */
    @Override
    public List<StoredTable> storedTables() {
        return otherTables ? workspace.storedTables() : List.of(table);
    }

    @Override
    public Optional<String> batchIdColumn() {
        return Optional.of(batchColumn);
    }

    @Override
    public Connection newQueryConnection() throws SQLException {
        Connection connection = workspace.newQueryConnection();
        try {
            String database;
            try (Statement statement = connection.createStatement();
                    ResultSet current = statement.executeQuery("SELECT current_database()")) {
                current.next();
                database = current.getString(1);
            }
            String name = quote(table.name());
            // spelled with its database, as temp.main comes first in the search path
            try (PreparedStatement copy = connection.prepareStatement("CREATE OR REPLACE TEMP TABLE " + name
                    + " AS SELECT * FROM " + quote(database) + ".main." + name + " WHERE " + quote(batchColumn)
                    + " = ?")) {
                copy.setLong(1, batchId);
                copy.execute();
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private static String quote(String identifier) {
        return DuckDbSchema.quoteIdentifier(identifier);
    }
}
