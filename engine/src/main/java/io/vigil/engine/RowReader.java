package io.vigil.engine;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads the rows of a compiled query, for callers that type the rows themselves (a DCR transform turns
 * them into records for ingestion); may throw what JDBC throws. {@code state} tells whether the query's time
 * is up, for readers that stop early and keep what they read.
 */
@FunctionalInterface
public interface RowReader<T> {
    T read(ResultSet rows, RunState state) throws SQLException;
}
