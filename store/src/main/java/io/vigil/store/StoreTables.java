package io.vigil.store;

import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.TableSchema;
import java.util.List;

/** Tables of the store's own: the dead-letter table (queryable) and internal bookkeeping tables. */
public final class StoreTables {
    /** Every rejected input, raw, with its source and a bounded reason code. */
    public static final String DEAD_LETTER = "VigilDeadLetter";

    static final String BATCHES = "_vigil_batches";
    static final String RETENTION_LOG = "_vigil_retention_log";
    static final String IMPORTS = "_vigil_imports";
    static final String SUBSCRIPTIONS = "_vigil_subscriptions";

    public static final TableSchema DEAD_LETTER_SCHEMA = new TableSchema(
            DEAD_LETTER,
            List.of(
                    new Column("TimeGenerated", ColumnType.DATETIME, "When the input was rejected"),
                    new Column("Source", ColumnType.STRING, "Where the input came from: file, listener or endpoint"),
                    new Column("Format", ColumnType.STRING, "The format that rejected it, empty when none was chosen"),
                    new Column("Reason", ColumnType.STRING, "Bounded reason code, e.g. invalid_json"),
                    new Column("Detail", ColumnType.STRING, "What was wrong, with a position where known"),
                    new Column("RawData", ColumnType.STRING, "The input as received: UTF-8 text, or base64"),
                    new Column("RawEncoding", ColumnType.STRING, "utf8 or base64"),
                    new Column("RawSize", ColumnType.LONG, "Size of the raw input in bytes"),
                    new Column("Type", ColumnType.STRING, "The name of the table")));

    static final List<String> BOOKKEEPING_DDL = List.of(
            "CREATE TABLE IF NOT EXISTS " + BATCHES + " (batch_id BIGINT PRIMARY KEY, table_name VARCHAR NOT NULL,"
                    + " row_count BIGINT NOT NULL, first_row_seq BIGINT NOT NULL, committed_at TIMESTAMP NOT NULL)",
            "CREATE TABLE IF NOT EXISTS " + RETENTION_LOG + " (table_name VARCHAR NOT NULL, cutoff TIMESTAMP NOT NULL,"
                    + " rows_deleted BIGINT NOT NULL, executed_at TIMESTAMP NOT NULL)",
            "CREATE TABLE IF NOT EXISTS " + IMPORTS + " (content_sha256 VARCHAR PRIMARY KEY, path VARCHAR NOT NULL,"
                    + " format VARCHAR NOT NULL, rows BIGINT NOT NULL, dead_letters BIGINT NOT NULL,"
                    + " imported_at TIMESTAMP NOT NULL)",
            // the batch ledger is the commit stream's log; stores created before it existed lack the times
            "ALTER TABLE " + BATCHES + " ADD COLUMN IF NOT EXISTS min_time_generated TIMESTAMP",
            "ALTER TABLE " + BATCHES + " ADD COLUMN IF NOT EXISTS max_time_generated TIMESTAMP",
            "CREATE TABLE IF NOT EXISTS " + SUBSCRIPTIONS + " (subscriber VARCHAR PRIMARY KEY,"
                    + " last_batch_id BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL)");

    private StoreTables() {}
}
