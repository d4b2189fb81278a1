package io.vigil.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A workspace as the KQL engine reads it: the tables it can query and connections to run the engine's SQL
 * on. The store implements it; the engine never sees the store itself, so the same engine runs on a
 * workspace, on a data collection rule's input table, or on a test's in-memory database.
 */
public interface QuerySource {
    /** Every queryable table, by name. */
    List<StoredTable> tables();

    /**
     * A new connection that sees the workspace's committed rows; the engine runs one query on it and closes
     * it. The engine only reads through it.
     */
    Connection openQueryConnection() throws SQLException;
}
