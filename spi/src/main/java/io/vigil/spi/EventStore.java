package io.vigil.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A workspace's store, as inputs, the query API and the wiring see it: rows in, a future that completes
 * after their commit, dead letters, the table catalog (custom tables included), and the commit stream.
 * The embedded DuckDB store implements it; nothing outside the store module needs to know which.
 */
public interface EventStore extends QuerySource, CommitStream, AutoCloseable {
    /** The folder the workspace keeps its files in. */
    Path dataDir();

    /** The id of the workspace this store holds (its rows' {@code TenantId}); empty when opened without one. */
    String workspaceId();

    /** The tables rows can be written to; custom tables appear once created. */
    TableCatalogView catalog();

    /** Every queryable table: the catalog's and the dead-letter table, sorted by name. */
    List<TableSchema> tables();

    /** Whether it still accepts rows (false once closing). */
    boolean isOpen();

    /**
     * Queues rows for their tables; the future completes when every row is committed (or, if the
     * database refused a row, once it is in the dead-letter table). Blocks while a table's queue is full
     * and fails with {@link StandardErrorCode#INGEST_OVERLOADED} when it stays full.
     */
    default CompletableFuture<Void> write(List<Row> rows) throws InterruptedException {
        return write(rows, "");
    }

    /**
     * As {@link #write(List)}, for rows of the import {@code importKey} ("" for none): until {@link
     * #recordImport} the committed ones can be found and removed by {@link #discardUnfinishedImport}.
     */
    CompletableFuture<Void> write(List<Row> rows, String importKey) throws InterruptedException;

    /** The repair reason an input counts when {@link #admitTime} replaced a row's TimeGenerated. */
    String TIME_REPAIR_REASON = "time_generated_out_of_range";

    /**
     * The row with its TimeGenerated inside the table's intake window (from its retention cutoff to a day
     * ahead): itself, or a copy dated {@code now}, so nothing acknowledged is deleted by the next retention
     * pass. {@link #write} applies it too; an input calls it first to count the repair under its own name.
     */
    Row admitTime(Row row, Instant now);

    /** Queues dead letters; the future completes once they are committed. */
    default CompletableFuture<Void> deadLetter(List<DeadLetter> deadLetters) throws InterruptedException {
        return deadLetter(deadLetters, "");
    }

    /** As {@link #deadLetter(List)}, for dead letters of the import {@code importKey} (see {@link #write(List, String)}). */
    CompletableFuture<Void> deadLetter(List<DeadLetter> deadLetters, String importKey) throws InterruptedException;

    /**
     * Creates a custom table, or adds the columns it lacks. Returns the table as the catalog now has it.
     */
    TableSchema ensureCustomTable(TableSchema requested);

    /**
     * Row count of every table that was ever written (dead-letter table included), by name; a catalog table
     * never written holds no rows and may be left out.
     */
    Map<String, Long> rowCounts();

    /** Rows accepted but not yet committed, over all tables. */
    int queuedRows();

    /** Whether the import with this key finished before (import is idempotent per content and options). */
    boolean wasImported(String contentSha256);

    /**
     * Records an import after its rows were committed, and forgets where its rows are, in one transaction:
     * a crash before it leaves the import unfinished (its rows found again), after it finished.
     */
    void recordImport(String contentSha256, String path, String format, long rows, long deadLetters);

    /**
     * Deletes, in one transaction, the rows and dead letters that an import which never reached {@link
     * #recordImport} committed, so that importing it again stores each row once. Returns how many.
     */
    long discardUnfinishedImport(String importKey);

    /** Deletes, per table, the whole days older than the table's retention; see {@link RetentionRun}. */
    RetentionRun applyRetention();

    /** Commits everything queued, then closes. */
    @Override
    void close();
}
