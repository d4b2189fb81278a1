package io.vigil.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where SQL runs: a fresh connection to the workspace's database per use. The query engine compiles
 * KQL to SQL and runs it here; inputs keep their small ledgers (Kafka offsets, watched files) here in
 * internal {@code _vigil_} tables. The connection sees committed data and runs while ingest goes on.
 */
public interface QueryConnections {
    /** A new connection; the caller closes it. */
    Connection newQueryConnection() throws SQLException;
}
