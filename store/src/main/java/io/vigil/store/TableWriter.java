package io.vigil.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of one table: a bounded queue, batches by size or linger time, one transaction per
 * batch (rows plus its ledger entry), and completion of every caller's future only after the commit.
 * Callers that find the queue full wait (back-pressure) and are refused after the enqueue timeout.
 */
final class TableWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TableWriter.class.getName());

    private record Pending(List<Row> rows, CompletableFuture<Void> done) {}

    private final String tableName;
    private final Connection connection;
    private final Path stagingDir;
    private final WriterConfig config;
    private final BatchSequence batchIds;
    private final Clock clock;
    private final Consumer<DeadLetter> rejected;
    private final StoreCounters counters;
    private final Runnable beforeEachBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore queuedRows;
    /**
     * Prepared once per schema and set of staged columns: planning a load of a wide table costs more than
     * loading a small batch. A source fills the same columns batch after batch, so there are few.
     */
    private final Map<TableSchema, Map<BitSet, PreparedStatement>> insertBySchema = new IdentityHashMap<>();

    /** Per schema (by identity), the check for rows stored already, where the table's records carry ids. */
    private final Map<TableSchema, Optional<DuplicateFilter>> duplicateFilters = new IdentityHashMap<>();

    /** Statements kept per schema; beyond this (a source whose rows vary wildly) they are prepared afresh. */
    private static final int MAX_STATEMENTS_PER_SCHEMA = 32;

    private final String tenantId;
    private final CsvBatchEncoder encoder = new CsvBatchEncoder();
    private final Thread thread;
    private long nextRowSequence;
    private volatile boolean closing;

    TableWriter(
            String tableName,
            Connection connection,
            Path stagingDir,
            WriterConfig config,
            BatchSequence batchIds,
            long nextRowSequence,
            Clock clock,
            Consumer<DeadLetter> rejected,
            StoreCounters counters,
            Runnable beforeEachBatch,
            String tenantId) {
        this.tenantId = tenantId;
        this.tableName = tableName;
        this.connection = connection;
        this.stagingDir = stagingDir;
        this.config = config;
        this.batchIds = batchIds;
        this.nextRowSequence = nextRowSequence;
        this.clock = clock;
        this.rejected = rejected;
        this.counters = counters;
        this.beforeEachBatch = beforeEachBatch;
        this.queuedRows = new Semaphore(config.maxQueuedRows());
        this.thread = Thread.ofPlatform().name("vigil-writer-" + tableName).start(this::run);
    }

    /**
     * Queues rows; the future completes once all of them are committed (or dead-lettered by the
     * store). Blocks while the table's queue is full.
     */
    CompletableFuture<Void> submit(List<Row> rows) throws InterruptedException {
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += config.maxBatchRows()) {
            List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + config.maxBatchRows()));
            if (closing) {
                throw new VigilException(StandardErrorCode.INGEST_CLOSED, "store is closing");
            }
            if (!queuedRows.tryAcquire(chunk.size(), config.enqueueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new VigilException(
                        StandardErrorCode.INGEST_OVERLOADED,
                        "ingest queue of " + tableName + " stayed full for " + config.enqueueTimeout());
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Pending(List.copyOf(chunk), done));
            parts.add(done);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    int queuedRowCount() {
        return config.maxQueuedRows() - queuedRows.availablePermits();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        closeStatements();
                        return;
                    }
                    continue;
                }
                batch.add(first);
                int rows = first.rows().size();
                long lingerUntil = System.nanoTime() + config.linger().toNanos();
                while (rows < config.maxBatchRows()) {
                    Pending next = queue.peek();
                    if (next != null && rows + next.rows().size() > config.maxBatchRows()) {
                        break;
                    }
                    long wait = lingerUntil - System.nanoTime();
                    next = queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    rows += next.rows().size();
                }
                beforeEachBatch.run();
                writeBatch(batch, rows);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(batch, e);
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "writer of " + tableName + " failed; its callers see the error", e);
                failAll(batch, e);
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch, int rowCount) {
        List<Row> rows = new ArrayList<>(rowCount);
        for (Pending pending : batch) {
            rows.addAll(pending.rows());
        }
        try {
            // rows built against an older version of a custom table's schema are written separately;
            // schemas are compared by identity (a record's hashCode would hash every column per row)
            Map<TableSchema, List<Row>> bySchema = new IdentityHashMap<>();
            for (Row row : rows) {
                bySchema.computeIfAbsent(row.table(), ignored -> new ArrayList<>())
                        .add(row);
            }
            for (Map.Entry<TableSchema, List<Row>> group : bySchema.entrySet()) {
                writeOrBisect(group.getKey(), group.getValue());
            }
            for (Pending pending : batch) {
                pending.done().complete(null);
            }
        } catch (IOException | SQLException e) {
            failAll(batch, new VigilException(StandardErrorCode.STORE_FAILURE, "cannot write " + tableName, e));
        } finally {
            queuedRows.release(rowCount);
        }
    }

    /**
     * Writes rows in one transaction; when DuckDB refuses the batch (for example a dynamic value that is
     * not JSON), halves it until the refused rows are found and dead-letters just those.
     */
    private void writeOrBisect(TableSchema schema, List<Row> rows) throws IOException, SQLException {
        try {
            writeTransaction(schema, rows);
        } catch (SQLException e) {
            if (isDataError(e) && rows.size() > 1) {
                int half = rows.size() / 2;
                writeOrBisect(schema, rows.subList(0, half));
                writeOrBisect(schema, rows.subList(half, rows.size()));
                return;
            }
            if (isDataError(e)) {
                counters.rejectedRows(tableName);
                rejected.accept(new DeadLetter(
                        "store:" + tableName,
                        "",
                        DeadLetterReason.STORE_REJECTED,
                        String.valueOf(e.getMessage()),
                        rows.getFirst().toString().getBytes(UTF_8)));
                return;
            }
            throw e;
        }
    }

    private static boolean isDataError(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("Conversion Error")
                || message.contains("Invalid Input Error")
                || message.contains("Malformed JSON")
                || message.contains("CSV Error");
    }

    private void writeTransaction(TableSchema schema, List<Row> batchRows) throws IOException, SQLException {
        Instant ingestionTime = clock.instant();
        List<Row> rows = batchRows;
        Optional<DuplicateFilter> duplicates = duplicateFilters.computeIfAbsent(schema, DuplicateFilter::of);
        if (duplicates.isPresent()) {
            rows = duplicates.get().fresh(connection, batchRows, ingestionTime);
            counters.duplicates(tableName, batchRows.size() - rows.size());
            if (rows.isEmpty()) {
                return;
            }
        }
        long batchId = batchIds.allocate();
        try {
            commitBatch(schema, rows, batchId, ingestionTime);
        } finally {
            // committed or rolled back: either way the commit stream may pass this id now
            batchIds.finished(batchId);
        }
        nextRowSequence += rows.size();
        counters.committed(tableName, rows.size(), encoder.size());
        if (duplicates.isPresent()) {
            duplicates.get().committed();
        }
    }

    private void commitBatch(TableSchema schema, List<Row> rows, long batchId, Instant ingestionTime)
            throws IOException, SQLException {
        Instant[] times = timeGeneratedRange(schema, rows, ingestionTime);
        long firstSequence = nextRowSequence;
        BitSet staged = CsvBatchEncoder.filledColumns(schema, rows);
        encoder.encode(rows, staged, firstSequence);
        Path stagedFile = stagingDir.resolve(tableName + "-" + batchId + ".csv");
        try (OutputStream out = Files.newOutputStream(stagedFile)) {
            encoder.writeTo(out);
        }
        try {
            execute("BEGIN TRANSACTION");
            try {
                insert(schema, staged, stagedFile, CsvBatchEncoder.epochMicros(ingestionTime), batchId);
                execute("INSERT INTO " + StoreTables.BATCHES + " (batch_id, table_name, row_count, first_row_seq,"
                        + " committed_at, min_time_generated, max_time_generated) VALUES (" + batchId + ", "
                        + SqlNames.quoteLiteral(tableName) + ", " + rows.size() + ", " + firstSequence
                        + ", make_timestamp(" + CsvBatchEncoder.epochMicros(ingestionTime) + "), make_timestamp("
                        + CsvBatchEncoder.epochMicros(times[0]) + "), make_timestamp("
                        + CsvBatchEncoder.epochMicros(times[1]) + "))");
                execute("COMMIT");
            } catch (SQLException e) {
                try {
                    execute("ROLLBACK");
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } finally {
            Files.deleteIfExists(stagedFile);
        }
    }

    /** The earliest and latest TimeGenerated of the rows; a row without one gets the ingestion time. */
    private static Instant[] timeGeneratedRange(TableSchema schema, List<Row> rows, Instant ingestionTime) {
        int column = schema.indexOf("TimeGenerated");
        if (column < 0) {
            return new Instant[] {ingestionTime, ingestionTime};
        }
        Instant min = null;
        Instant max = null;
        for (Row row : rows) {
            Instant time = row.get(column) instanceof Instant value ? value : ingestionTime;
            if (min == null || time.isBefore(min)) {
                min = time;
            }
            if (max == null || time.isAfter(max)) {
                max = time;
            }
        }
        return new Instant[] {min, max};
    }

    private void execute(String sql) throws SQLException {
        // a DuckDB statement is closed after a failed execute: use a fresh one each time
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void insert(TableSchema schema, BitSet staged, Path stagedFile, long ingestionMicros, long batchId)
            throws SQLException {
        Map<BitSet, PreparedStatement> statements = insertBySchema.computeIfAbsent(schema, ignored -> new HashMap<>());
        PreparedStatement insert = statements.get(staged);
        if (insert == null) {
            if (statements.size() >= MAX_STATEMENTS_PER_SCHEMA) {
                closeAll(statements.values());
                statements.clear();
            }
            insert = connection.prepareStatement(buildInsertSql(schema, staged));
            statements.put(staged, insert);
        }
        try {
            insert.setString(1, stagedFile.toString());
            insert.setLong(2, ingestionMicros);
            insert.setLong(3, batchId);
            insert.execute();
        } catch (SQLException e) {
            // DuckDB closes a statement whose execution failed; prepare it afresh next time
            statements.remove(staged);
            try {
                insert.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private void closeStatements() {
        for (Map<BitSet, PreparedStatement> statements : insertBySchema.values()) {
            closeAll(statements.values());
        }
        insertBySchema.clear();
    }

    private void closeAll(Iterable<PreparedStatement> statements) {
        for (PreparedStatement statement : statements) {
            try {
                statement.close();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "closing an insert statement of " + tableName + " failed", e);
            }
        }
    }

    /**
     * The load of one staged file: the staged columns from the CSV, the columns with a default (the
     * ingestion time, the table name, the tenant) from it when they are not staged, the rest left null.
     */
    private String buildInsertSql(TableSchema schema, BitSet staged) {
        List<Column> columns = schema.columns();
        List<String> physicalNames = SchemaDdl.physicalColumnNames(schema);
        StringBuilder target = new StringBuilder();
        StringBuilder select = new StringBuilder();
        StringBuilder csvColumns = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Optional<String> fallback = defaultValue(schema, column);
            String value;
            if (staged.get(i)) {
                String field = "c" + i;
                csvColumns
                        .append('\'')
                        .append(field)
                        .append("': '")
                        .append(csvType(column.type()))
                        .append("', ");
                value = switch (column.type()) {
                    case STRING, GUID, INT, LONG, REAL, BOOL -> field;
                    case DATETIME -> "make_timestamp(" + field + ")";
                    case TIMESPAN -> "to_microseconds(" + field + ")";
                    case DYNAMIC -> "CAST(" + field + " AS JSON)";
                };
                if (fallback.isPresent()) {
                    value = "coalesce(" + value + ", " + fallback.get() + ")";
                }
            } else if (fallback.isPresent()) {
                value = fallback.get();
            } else {
                continue;
            }
            target.append(SqlNames.quoteIdentifier(physicalNames.get(i))).append(", ");
            select.append(value).append(", ");
        }
        for (String hidden : HiddenColumns.ALL) {
            target.append(SqlNames.quoteIdentifier(hidden)).append(", ");
        }
        target.setLength(target.length() - 2);
        select.append("make_timestamp($2), $3, seq");
        csvColumns.append("'seq': 'BIGINT'");
        return "INSERT INTO " + SqlNames.quoteIdentifier(schema.name()) + " (" + target + ") SELECT " + select
                + " FROM read_csv($1, header = false, auto_detect = false, delim = ',', quote = '\"',"
                + " escape = '\"', new_line = '\\n', allow_quoted_nulls = false, max_line_size = 67108864,"
                + " buffer_size = 134217728, columns = {" + csvColumns + "})";
    }

    /** What Log Analytics fills in when a record has no value: ingestion time, table name, tenant. */
    private Optional<String> defaultValue(TableSchema schema, Column column) {
        if (column.name().equals("TimeGenerated") && column.type() == ColumnType.DATETIME) {
            return Optional.of("make_timestamp($2)");
        }
        if (column.name().equals("Type") && column.type() == ColumnType.STRING) {
            return Optional.of(SqlNames.quoteLiteral(schema.name()));
        }
        if (column.name().equals("TenantId") && column.type() == ColumnType.STRING && !tenantId.isEmpty()) {
            return Optional.of(SqlNames.quoteLiteral(tenantId));
        }
        return Optional.empty();
    }

    private static String csvType(ColumnType type) {
        return switch (type) {
            case STRING, GUID, DYNAMIC -> "VARCHAR";
            case INT -> "INTEGER";
            case LONG, DATETIME, TIMESPAN -> "BIGINT";
            case REAL -> "DOUBLE";
            case BOOL -> "BOOLEAN";
        };
    }

    private static void failAll(List<Pending> batch, Throwable cause) {
        for (Pending pending : batch) {
            pending.done().completeExceptionally(cause);
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join();
        // a submit racing with close may have queued after the writer's last look: refuse it, never strand it
        Pending late;
        while ((late = queue.poll()) != null) {
            late.done().completeExceptionally(new VigilException(StandardErrorCode.INGEST_CLOSED, "store is closing"));
            queuedRows.release(late.rows().size());
        }
    }
}
