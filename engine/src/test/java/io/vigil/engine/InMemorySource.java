package io.vigil.engine;

import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * An in-memory DuckDB database with two small deterministic tables, as a store would hold them: {@code
 * SigninLogs} (sign-ins on 2026-01-10, with a hidden ingestion time) and {@code Heartbeat}. No store, no
 * server: what the engine needs is a {@link QuerySource}.
 */
final class InMemorySource implements QuerySource, AutoCloseable {
    static final String INGESTION_TIME = "_ingested";

    static final TableSchema SIGNINS = new TableSchema(
            "SigninLogs",
            List.of(
                    new Column("TimeGenerated", ColumnType.DATETIME),
                    new Column("UserPrincipalName", ColumnType.STRING),
                    new Column("IPAddress", ColumnType.STRING),
                    new Column("DurationMs", ColumnType.LONG),
                    new Column("LocationDetails", ColumnType.DYNAMIC),
                    new Column("Risky", ColumnType.BOOL)));

    static final TableSchema HEARTBEAT = new TableSchema(
            "Heartbeat",
            List.of(new Column("TimeGenerated", ColumnType.DATETIME), new Column("Computer", ColumnType.STRING)));

    private final DuckDBConnection connection;

    InMemorySource() throws SQLException {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL TimeZone = 'UTC'");
            statement.execute("CREATE TABLE SigninLogs (TimeGenerated TIMESTAMP, UserPrincipalName VARCHAR,"
                    + " IPAddress VARCHAR, DurationMs BIGINT, LocationDetails JSON, Risky BOOLEAN,"
                    + " _ingested TIMESTAMP)");
            statement.execute("INSERT INTO SigninLogs VALUES"
                    + " ('2026-01-10 08:00:00', 'alice@contoso.com', '10.0.0.1', 120,"
                    + "  '{\"city\":\"Seattle\"}', false, '2026-01-10 08:00:05'),"
                    + " ('2026-01-10 08:30:00', 'bob@contoso.com', '10.0.0.2', 300,"
                    + "  '{\"city\":\"Berlin\",\"zip\":\"10115\"}', true, '2026-01-10 08:30:05'),"
                    + " ('2026-01-10 09:15:00', 'alice@contoso.com', NULL, NULL, NULL, NULL, '2026-01-10 09:15:05')");
            statement.execute("CREATE TABLE Heartbeat (TimeGenerated TIMESTAMP, Computer VARCHAR)");
            statement.execute("INSERT INTO Heartbeat VALUES ('2026-01-10 09:00:00', 'vm1')");
        }
    }

    @Override
    public List<StoredTable> storedTables() {
        return List.of(
                new StoredTable(HEARTBEAT, List.of("TimeGenerated", "Computer"), Optional.empty()),
                new StoredTable(
                        SIGNINS, SIGNINS.columns().stream().map(Column::name).toList(), Optional.of(INGESTION_TIME)));
    }

    @Override
    public Connection newQueryConnection() throws SQLException {
        return connection.duplicate();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** A source whose database is gone: every connection fails, as a closed store's does. */
    static final class Closed implements QuerySource {
        @Override
        public List<StoredTable> storedTables() {
            return List.of();
        }

        @Override
        public Connection newQueryConnection() throws SQLException {
            throw new SQLException("the database is closed");
        }
    }
}
