package io.vigil.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A workspace's store, as inputs, the query API and the wiring see it: rows in, a future that completes
 * after their commit, dead letters, the table catalog (custom tables included), and the commit stream.
 * The embedded DuckDB store implements it; nothing outside the store module needs to know which.
 */
public interface EventStore extends QueryConnections, CommitStream, AutoCloseable {
    /** The folder the workspace keeps its files in. */
    Path dataDir();

    /** The tables rows can be written to; custom tables appear once created. */
    TableCatalog catalog();

    /** Every queryable table: the catalog's and the dead-letter table, sorted by name. */
    List<TableSchema> tables();

    /** Whether it still accepts rows (false once closing). */
    boolean isOpen();

    /**
     * Queues rows for their tables; the future completes when every row is committed (or, if the
     * database refused a row, once it is in the dead-letter table). Blocks while a table's queue is full
     * and fails with {@link StandardErrorCode#INGEST_OVERLOADED} when it stays full.
     */
    CompletableFuture<Void> write(List<Row> rows) throws InterruptedException;

    /** Queues dead letters; the future completes once they are committed. */
    CompletableFuture<Void> deadLetter(List<DeadLetter> deadLetters) throws InterruptedException;

    /**
     * Creates a custom table, or adds the columns it lacks. Returns the table as the catalog now has it.
     */
    TableSchema ensureCustomTable(TableSchema requested);

    /** Row count of every table (dead-letter table included), by name. */
    Map<String, Long> rowCounts();

    /** Rows accepted but not yet committed, over all tables. */
    int queuedRows();

    /** Whether content with this SHA-256 was imported before (import is idempotent per content). */
    boolean wasImported(String contentSha256);

    /** Records an import after its rows were committed. */
    void recordImport(String contentSha256, String path, String format, long rows, long deadLetters);

    /** Deletes, per table, the whole days older than the table's retention; see {@link RetentionRun}. */
    RetentionRun applyRetention();

    /** Commits everything queued, then closes. */
    @Override
    void close();
}
