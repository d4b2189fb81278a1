package io.vigil.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.catalog.TableCatalog;
import io.vigil.metrics.Metrics;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.CommitListener;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.EventStore;
import io.vigil.spi.RetentionRun;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import io.vigil.sql.DuckDbSchema;
import io.vigil.store.geo.GeoIpDatabase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * A workspace's embedded DuckDB store: one database file under the data folder, one table per catalog
 * table, one {@link TableWriter} per table, a dead-letter table, and per-table retention. The catalog knows
 * every table of the reference (some 700): a catalog table gets its DuckDB table at its first write, so
 * opening a store costs the same whatever the catalog's size, and a table never written reads as empty. Queries use
 * their own connections and run while ingest goes on (DuckDB's MVCC). The batch ledger, written in each
 * batch's transaction, is the commit stream's durable log.
 */
public final class DuckDbStore implements EventStore {
    private static final Logger LOG = Logger.getLogger(DuckDbStore.class.getName());
    public static final String DATABASE_FILE = "vigil.duckdb";

    private final Path dataDir;
    private final DuckDBConnection connection;
    private final TableCatalog catalog;
    private final StoreOptions options;
    private final Clock clock;
    private final StoreCounters counters;
    private final Path stagingDir;
    private final BatchSequence batchIds;
    private final CommitLog commitLog;
    private final Map<String, Long> nextRowSequence;
    private final Map<String, TableWriter> writers = new ConcurrentHashMap<>();
    /** The tables that have their DuckDB table (created on first write, or found when opening). */
    private final Set<String> materialized;
    /** The stored form of each table, rebuilt only when the catalog's schema of it changes. */
    private final Map<String, StoredTable> storedTables = new ConcurrentHashMap<>();

    private final Optional<GeoIpDatabase> geoIp;
    private final TimeGeneratedWindow timeWindow;
    private volatile boolean open = true;
    private volatile Runnable beforeEachBatch = () -> {};

    private DuckDbStore(
            Path dataDir,
            DuckDBConnection connection,
            TableCatalog catalog,
            StoreOptions options,
            Clock clock,
            Metrics metrics,
            long lastBatchId,
            Map<String, Long> nextRowSequence,
            Optional<GeoIpDatabase> geoIp,
            Set<String> materialized) {
        this.dataDir = dataDir;
        this.materialized = ConcurrentHashMap.newKeySet();
        this.materialized.addAll(materialized);
        this.geoIp = geoIp;
        this.connection = connection;
        this.catalog = catalog;
        this.options = options;
        this.clock = clock;
        this.counters = new StoreCounters(metrics);
        this.stagingDir = dataDir.resolve("staging");
        this.batchIds = new BatchSequence(lastBatchId);
        this.commitLog = new CommitLog(this, batchIds, this::schemaOf, options.tenantId(), clock);
        this.nextRowSequence = new ConcurrentHashMap<>(nextRowSequence);
        this.timeWindow = new TimeGeneratedWindow(options.retention());
    }

    /**
     * Opens (creating when new) the store under {@code dataDir}, knowing every catalog table; only the tables
     * written before exist in DuckDB (see {@link #materialize}).
     */
    public static DuckDbStore open(Path dataDir, StoreOptions options, Clock clock, Metrics metrics) {
        try {
            DataFolder.secure(dataDir);
            Path staging = dataDir.resolve("staging");
            DataFolder.createPrivateDirectories(staging);
            // staged batches of a previous run were never committed, hence never acknowledged
            try (Stream<Path> leftovers = Files.list(staging)) {
                for (Path leftover : leftovers.toList()) {
                    Files.deleteIfExists(leftover);
                }
            }
            Optional<GeoIpDatabase> geoIp = openGeoIp(options.geoIpDatabase());
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection(
                    "jdbc:duckdb:" + dataDir.resolve(DATABASE_FILE).toAbsolutePath());
            restrictDatabaseFiles(dataDir);
            TableCatalog catalog = TableCatalog.builtIn();
            StoreFunctions.register(connection, geoIp);
            try (Statement statement = connection.createStatement()) {
                // KQL datetimes are UTC: text with an offset is cast through TIMESTAMPTZ, which must mean
                // UTC on every connection whatever the host's zone (set once, inherited by duplicates)
                statement.execute("SET GLOBAL TimeZone = 'UTC'");
                // DuckDB checkpoints when the WAL passes 16 MB by default, which under sustained ingest
                // stalls the writers every few seconds; a larger WAL checkpoints less often (restart
                // replays it; every commit is in it either way)
                statement.execute("SET checkpoint_threshold = '256MB'");
                applyResources(statement, options.resources(), dataDir);
                for (String ddl : StoreTables.BOOKKEEPING_DDL) {
                    statement.execute(ddl);
                }
                statement.execute(SchemaDdl.createTable(StoreTables.DEAD_LETTER_SCHEMA));
            }
            loadCustomTables(connection, catalog);
            Set<String> materialized = existingCatalogTables(connection, catalog);
            loadGrownColumns(connection, catalog, materialized);
            long lastBatchId = 0;
            Map<String, Long> nextSequence = new HashMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT table_name, max(batch_id),"
                            + " max(first_row_seq + row_count) FROM " + StoreTables.BATCHES + " GROUP BY table_name")) {
                while (rows.next()) {
                    lastBatchId = Math.max(lastBatchId, rows.getLong(2));
                    nextSequence.put(rows.getString(1), rows.getLong(3));
                }
            }
            return new DuckDbStore(
                    dataDir,
                    connection,
                    catalog,
                    options,
                    clock,
                    metrics,
                    lastBatchId,
                    nextSequence,
                    geoIp,
                    materialized);
        } catch (IOException | SQLException e) {
            throw new VigilException(
                    StandardErrorCode.STORE_FAILURE, "cannot open store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** DuckDB creates its files with the process umask: make them private (see {@link DataFolder}). */
    private static void restrictDatabaseFiles(Path dataDir) {
        DataFolder.restrictIfPresent(dataDir.resolve(DATABASE_FILE));
        DataFolder.restrictIfPresent(dataDir.resolve(DATABASE_FILE + ".wal"));
    }

    /** The temporary directory DuckDB spills to when none is configured. */
    public static final String TEMP_DIRECTORY = "tmp";

    /**
     * Sets the database's memory and spill limits (global settings: every connection, writers and queries,
     * shares them). Numbers are written as bytes and the path as a quoted literal, so no text is spliced in.
     */
    private static void applyResources(Statement statement, DuckDbResources resources, Path dataDir)
            throws SQLException, IOException {
        Path temp = resources.tempDirectory().orElse(dataDir.resolve(TEMP_DIRECTORY));
        DataFolder.createPrivateDirectories(temp);
        statement.execute("SET GLOBAL memory_limit = '" + resources.memoryLimitBytes() + "B'");
        statement.execute("SET GLOBAL temp_directory = "
                + SqlNames.quoteLiteral(temp.toAbsolutePath().toString()));
        statement.execute("SET GLOBAL max_temp_directory_size = '" + resources.maxTempBytes() + "B'");
    }

    private static Optional<GeoIpDatabase> openGeoIp(Optional<Path> file) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(GeoIpDatabase.open(file.get()));
        } catch (IOException e) {
            throw new VigilException(
                    StandardErrorCode.INVALID_CONFIGURATION,
                    "cannot read the GeoIP database " + file.get() + " (a MaxMind DB .mmdb file): " + e.getMessage(),
                    e);
        }
    }

    private static void loadCustomTables(Connection connection, TableCatalog catalog) throws SQLException {
        Map<String, List<String>> physicalNamesByTable = new LinkedHashMap<>();
        Map<String, List<ColumnType>> typesByTable = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name, column_name, data_type"
                        + " FROM information_schema.columns WHERE table_schema = 'main' AND table_name LIKE '%\\_CL' ESCAPE '\\'"
                        + " ORDER BY table_name, ordinal_position")) {
            while (rows.next()) {
                String table = rows.getString(1);
                String column = rows.getString(2);
                if (catalog.table(table).isPresent() || HiddenColumns.isHidden(column)) {
                    continue;
                }
                physicalNamesByTable
                        .computeIfAbsent(table, ignored -> new ArrayList<>())
                        .add(column);
                typesByTable
                        .computeIfAbsent(table, ignored -> new ArrayList<>())
                        .add(DuckDbSchema.columnType(rows.getString(3)));
            }
        }
        physicalNamesByTable.forEach((table, physicalNames) -> {
            List<String> names = SchemaDdl.logicalColumnNames(physicalNames);
            List<ColumnType> types = typesByTable.get(table);
            List<Column> columns = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                columns.add(new Column(names.get(i), types.get(i)));
            }
            catalog.putCustom(new TableSchema(table, columns));
        });
    }

    /**
     * The columns growing tables ({@link TableCatalog#GROWING_TABLES}) gained in earlier runs, after the
     * built-in ones, back into the catalog (their DuckDB type gives the column type, as for custom tables).
     */
    private static void loadGrownColumns(Connection connection, TableCatalog catalog, Set<String> materialized)
            throws SQLException {
        for (String name : TableCatalog.GROWING_TABLES) {
            if (!materialized.contains(name)) {
                continue;
            }
            TableSchema builtIn = catalog.require(name);
            List<Column> columns = new ArrayList<>(builtIn.columns());
            Set<String> physicalKnown = new HashSet<>(SchemaDdl.physicalColumnNames(builtIn));
            try (PreparedStatement statement = connection.prepareStatement("SELECT column_name, data_type"
                    + " FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?"
                    + " ORDER BY ordinal_position")) {
                statement.setString(1, name);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String column = rows.getString(1);
                        if (!physicalKnown.contains(column) && !HiddenColumns.isHidden(column)) {
                            columns.add(new Column(column, DuckDbSchema.columnType(rows.getString(2))));
                        }
                    }
                }
            }
            if (columns.size() > builtIn.columnCount()) {
                catalog.extendGrowing(new TableSchema(name, columns));
            }
        }
    }

    /** The catalog tables that have a DuckDB table, by their catalog name. */
    private static Set<String> existingCatalogTables(Connection connection, TableCatalog catalog) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")) {
            while (rows.next()) {
                catalog.tableIgnoringCase(rows.getString(1)).ifPresent(table -> existing.add(table.name()));
            }
        }
        return existing;
    }

    /**
     * Creates the DuckDB table of a catalog table, as its first write does (and a test that wants the SQL of
     * a stored table does ahead of it). Concurrent first writes to one table create it once ({@code CREATE
     * TABLE IF NOT EXISTS}, under the store's lock, like custom tables).
     */
    public synchronized void materialize(String table) {
        if (materialized.contains(table)) {
            return;
        }
        try {
            execute(SchemaDdl.createTable(catalog.require(table)));
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot create table " + table, e);
        }
        materialized.add(table);
    }

    /** Whether the table has its DuckDB table yet (it has once a row was written to it). */
    public boolean isMaterialized(String table) {
        return materialized.contains(table);
    }

    @Override
    public String workspaceId() {
        return options.tenantId();
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public TableCatalog catalog() {
        return catalog;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Every queryable table: the catalog's and the dead-letter table, by name. */
    @Override
    public List<TableSchema> tables() {
        List<TableSchema> tables = new ArrayList<>(catalog.tables());
        tables.add(StoreTables.DEAD_LETTER_SCHEMA);
        tables.sort((left, right) -> left.name().compareTo(right.name()));
        return tables;
    }

    @Override
    public List<StoredTable> storedTables() {
        List<StoredTable> stored = new ArrayList<>();
        for (TableSchema table : tables()) {
            stored.add(stored(table));
        }
        return stored;
    }

    @Override
    public Optional<StoredTable> storedTable(String name) {
        if (name.equals(StoreTables.DEAD_LETTER)) {
            return Optional.of(stored(StoreTables.DEAD_LETTER_SCHEMA));
        }
        return catalog.table(name).map(this::stored);
    }

    @Override
    public Optional<String> batchIdColumn() {
        return Optional.of(HiddenColumns.BATCH_ID);
    }

    private StoredTable stored(TableSchema table) {
        boolean created = table.name().equals(StoreTables.DEAD_LETTER) || materialized.contains(table.name());
        StoredTable cached = storedTables.get(table.name());
        // schemas are immutable: the same instance means the same columns
        if (cached != null && cached.schema() == table && cached.materialized() == created) {
            return cached;
        }
        StoredTable fresh = new StoredTable(
                table, SchemaDdl.physicalColumnNames(table), Optional.of(HiddenColumns.INGESTION_TIME), created);
        storedTables.put(table.name(), fresh);
        return fresh;
    }

    /** The tables that have a DuckDB table: the dead-letter table and every catalog table written to. */
    private List<TableSchema> materializedTables() {
        List<TableSchema> tables = new ArrayList<>();
        for (TableSchema table : tables()) {
            if (table.name().equals(StoreTables.DEAD_LETTER) || materialized.contains(table.name())) {
                tables.add(table);
            }
        }
        return tables;
    }

    /**
     * As {@link #write(List)}, for rows of the import {@code importKey}: until {@link #recordImport} the
     * committed ones can be found and removed by {@link #discardUnfinishedImport}.
     */
    @Override
    public CompletableFuture<Void> write(List<Row> rows, String importKey) throws InterruptedException {
        Map<String, List<Row>> byTable = new LinkedHashMap<>();
        // rows of one table usually come in runs: the map is consulted only when the table changes
        String runTable = null;
        List<Row> run = null;
        TableSchema schemaSeen = null;
        Instant now = clock.instant();
        for (Row given : rows) {
            // the last line of the intake rule: an input that did not apply it itself still never has an
            // acknowledged row deleted by the next retention pass
            Row row = timeWindow.admit(given, now);
            if (row != given) {
                counters.timeRepaired(row.table().name());
            }
            String table = row.table().name();
            if (row.table() != schemaSeen) {
                schemaSeen = row.table();
                if (TableCatalog.GROWING_TABLES.contains(table)) {
                    addColumnsOf(schemaSeen);
                }
            }
            if (!table.equals(runTable)) {
                runTable = table;
                run = byTable.computeIfAbsent(table, ignored -> new ArrayList<>());
            }
            run.add(row);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Map.Entry<String, List<Row>> entry : byTable.entrySet()) {
            parts.add(writer(entry.getKey()).submit(entry.getValue(), importKey));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenRun(this::restrictWal);
    }

    /**
     * The row with its TimeGenerated inside the table's intake window ({@link TimeGeneratedWindow}): itself,
     * or a copy dated {@code now}. An input calls it to count the repair under its own name; {@link #write}
     * applies it again to whatever reaches it.
     */
    @Override
    public Row admitTime(Row row, Instant now) {
        return timeWindow.admit(row, now);
    }

    /** As {@link #deadLetter(List)}, for dead letters of the import {@code importKey} (see {@link #write(List, String)}). */
    @Override
    public CompletableFuture<Void> deadLetter(List<DeadLetter> deadLetters, String importKey)
            throws InterruptedException {
        if (deadLetters.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant now = clock.instant();
        List<Row> rows = new ArrayList<>(deadLetters.size());
        for (DeadLetter deadLetter : deadLetters) {
            rows.add(deadLetterRow(deadLetter, now));
        }
        return writers.computeIfAbsent(StoreTables.DEAD_LETTER, this::newWriter)
                .submit(rows, importKey)
                .thenRun(this::restrictWal);
    }

    /** A commit after a checkpoint starts a new WAL, created with the umask's mode. */
    private void restrictWal() {
        DataFolder.restrictIfPresent(dataDir.resolve(DATABASE_FILE + ".wal"));
    }

    private static Row deadLetterRow(DeadLetter deadLetter, Instant now) {
        Row.Builder row = StoreTables.DEAD_LETTER_SCHEMA
                .newRow()
                .set("TimeGenerated", now)
                .set("Source", deadLetter.source())
                .set("Format", deadLetter.format())
                .set("Reason", deadLetter.reason().code())
                .set("Detail", deadLetter.detail())
                .set("RawSize", (long) deadLetter.raw().length);
        try {
            String text = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(deadLetter.raw()))
                    .toString();
            if (text.indexOf('\0') >= 0) {
                throw new CharacterCodingException();
            }
            row.set("RawData", text).set("RawEncoding", "utf8");
        } catch (CharacterCodingException e) {
            row.set("RawData", Base64.getEncoder().encodeToString(deadLetter.raw()))
                    .set("RawEncoding", "base64");
        }
        return row.build();
    }

    /**
     * Creates a custom table, or adds the columns it lacks (the Data Collector API extends a table as
     * new fields arrive). Returns the table as the catalog now has it. Names are matched ignoring case, as
     * in Log Analytics: the first casing names the table and later casings write into it; a built-in table's
     * name in any casing is refused. New columns are added in one transaction, all or none, and the catalog
     * changes only after it commits; a column differing only in case from another gets its {@code $n}
     * physical name ({@link SchemaDdl#physicalColumnNames}).
     */
    @Override
    public synchronized TableSchema ensureCustomTable(TableSchema requested) {
        if (!requested.isCustom() || !SqlNames.isValidTableName(requested.name())) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, "invalid custom table name: " + requested.name());
        }
        if (TableCatalog.isBuiltInName(requested.name())) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    requested.name() + " names a built-in table (in any casing); a custom table needs another name");
        }
        Optional<TableSchema> existing = catalog.tableIgnoringCase(requested.name());
        try {
            if (existing.isEmpty()) {
                TableSchema table = TableCatalog.withStandardColumns(requested);
                execute(SchemaDdl.createTable(table));
                catalog.putCustom(table);
                materialized.add(table.name());
                return catalog.require(table.name());
            }
            TableSchema current = existing.get();
            List<Column> columns = new ArrayList<>(current.columns());
            for (Column column : requested.columns()) {
                boolean known = false;
                for (Column present : columns) {
                    known |= present.name().equals(column.name());
                }
                if (!known) {
                    columns.add(column);
                }
            }
            if (columns.size() == current.columnCount()) {
                return current;
            }
            TableSchema extended = new TableSchema(current.name(), columns);
            addColumns(current, extended);
            catalog.putCustom(extended);
            return catalog.require(extended.name());
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot create table " + requested.name(), e);
        }
    }

    /**
     * Gives a growing table ({@link TableCatalog#GROWING_TABLES}) the columns a row's schema has and it lacks,
     * before the row is queued: added in one transaction, all or none, and in the catalog only after it
     * commits (as {@link #ensureCustomTable} does). The row's own schema may be older or newer than the
     * catalog's; its writer inserts by column name.
     */
    private synchronized void addColumnsOf(TableSchema rowSchema) {
        TableSchema current = catalog.require(rowSchema.name());
        if (current == rowSchema) {
            return;
        }
        List<Column> columns = new ArrayList<>(current.columns());
        for (Column column : rowSchema.columns()) {
            if (current.indexOf(column.name()) < 0) {
                columns.add(column);
            }
        }
        if (columns.size() == current.columnCount()) {
            return;
        }
        materialize(current.name());
        TableSchema extended = new TableSchema(current.name(), columns);
        try {
            addColumns(current, extended);
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot add columns to " + current.name(), e);
        }
        catalog.extendGrowing(extended);
    }

    /** Adds the columns {@code extended} has after those of {@code current}, in one transaction. */
    private void addColumns(TableSchema current, TableSchema extended) throws SQLException {
        List<String> physicalNames = SchemaDdl.physicalColumnNames(extended);
        execute("BEGIN TRANSACTION");
        try {
            for (int i = current.columnCount(); i < extended.columnCount(); i++) {
                execute("ALTER TABLE " + SqlNames.quoteIdentifier(current.name()) + " ADD COLUMN "
                        + SqlNames.quoteIdentifier(physicalNames.get(i)) + " "
                        + DuckDbSchema.typeName(extended.columns().get(i).type()));
            }
            execute("COMMIT");
        } catch (SQLException e) {
            try {
                execute("ROLLBACK");
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    private void execute(String sql) throws SQLException {
        // a DuckDB statement is closed after a failed execute: a fresh one each time
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A new connection for queries; close it when done. */
    @Override
    public Connection newQueryConnection() throws SQLException {
        return connection.duplicate();
    }

    /**
     * Row count of every table ever written (dead-letter table included), by name; a table never written
     * holds no rows and is left out, so the list stays as short as the workspace's data.
     */
    @Override
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection query = newQueryConnection();
                Statement statement = query.createStatement()) {
            for (TableSchema table : materializedTables()) {
                try (ResultSet rows =
                        statement.executeQuery("SELECT count(*) FROM " + SqlNames.quoteIdentifier(table.name()))) {
                    rows.next();
                    counts.put(table.name(), rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot count rows", e);
        }
        return counts;
    }

    /**
     * Deletes, per table, every row older than its retention, in whole UTC days: the cutoff is the
     * start of the day {@code days} before now, so a day is either kept whole or deleted whole. Each
     * deletion is recorded in the retention log.
     */
    @Override
    public RetentionRun applyRetention() {
        Instant now = clock.instant();
        Map<String, Instant> cutoffs = new TreeMap<>();
        Map<String, Long> deleted = new TreeMap<>();
        try (Connection maintenance = newQueryConnection()) {
            for (TableSchema table : materializedTables()) {
                if (table.indexOf("TimeGenerated") < 0) {
                    continue;
                }
                Instant cutoff = options.retention().cutoff(table.name(), now);
                cutoffs.put(table.name(), cutoff);
                long micros = CsvBatchEncoder.epochMicros(cutoff);
                long count;
                try (PreparedStatement delete = maintenance.prepareStatement("DELETE FROM "
                        + SqlNames.quoteIdentifier(table.name()) + " WHERE TimeGenerated < make_timestamp(?)")) {
                    delete.setLong(1, micros);
                    count = delete.executeUpdate();
                }
                if (count > 0) {
                    deleted.put(table.name(), count);
                    try (PreparedStatement log = maintenance.prepareStatement("INSERT INTO " + StoreTables.RETENTION_LOG
                            + " VALUES (?, make_timestamp(?), ?, make_timestamp(?))")) {
                        log.setString(1, table.name());
                        log.setLong(2, micros);
                        log.setLong(3, count);
                        log.setLong(4, CsvBatchEncoder.epochMicros(now));
                        log.executeUpdate();
                    }
                    LOG.info("retention deleted " + count + " rows of " + table.name() + " older than " + cutoff);
                }
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "retention failed", e);
        }
        return new RetentionRun(now, cutoffs, deleted);
    }

    /** Whether the import with this key finished before (import is idempotent per content and options). */
    @Override
    public boolean wasImported(String contentSha256) {
        try (Connection query = newQueryConnection();
                PreparedStatement statement =
                        query.prepareStatement("SELECT 1 FROM " + StoreTables.IMPORTS + " WHERE content_sha256 = ?")) {
            statement.setString(1, contentSha256);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read the import ledger", e);
        }
    }

    /**
     * Records an import after its rows were committed, and forgets where its rows are, in one transaction:
     * a crash before it leaves the import unfinished (its rows found again), after it finished.
     */
    @Override
    public void recordImport(String contentSha256, String path, String format, long rows, long deadLetters) {
        try (Connection update = newQueryConnection()) {
            update.setAutoCommit(false);
            try (PreparedStatement entry = update.prepareStatement("INSERT OR REPLACE INTO " + StoreTables.IMPORTS
                            + " VALUES (?, ?, ?, ?, ?, make_timestamp(?))");
                    PreparedStatement ranges = update.prepareStatement(
                            "DELETE FROM " + StoreTables.IMPORT_ROWS + " WHERE import_key = ?")) {
                entry.setString(1, contentSha256);
                entry.setString(2, path);
                entry.setString(3, format);
                entry.setLong(4, rows);
                entry.setLong(5, deadLetters);
                entry.setLong(6, CsvBatchEncoder.epochMicros(clock.instant()));
                entry.executeUpdate();
                ranges.setString(1, contentSha256);
                ranges.executeUpdate();
                update.commit();
            } catch (SQLException e) {
                update.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot write the import ledger", e);
        }
    }

    /**
     * Deletes the rows (dead letters included) that an import which never reached {@link #recordImport}
     * committed, in one transaction, so that importing it again stores each row once. Returns how many.
     * Only for an import that is not running: the caller imports it next.
     */
    @Override
    public long discardUnfinishedImport(String importKey) {
        try (Connection update = newQueryConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement statement = update.prepareStatement("SELECT DISTINCT table_name FROM "
                    + StoreTables.IMPORT_ROWS + " WHERE import_key = ? ORDER BY 1")) {
                statement.setString(1, importKey);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
            }
            if (tables.isEmpty()) {
                return 0;
            }
            long deleted = 0;
            update.setAutoCommit(false);
            try {
                for (String table : tables) {
                    String quoted = SqlNames.quoteIdentifier(table);
                    try (PreparedStatement delete = update.prepareStatement("DELETE FROM " + quoted + " WHERE EXISTS"
                            + " (SELECT 1 FROM " + StoreTables.IMPORT_ROWS + " r WHERE r.import_key = ?"
                            + " AND r.table_name = ? AND r.batch_id = " + quoted + "." + HiddenColumns.BATCH_ID
                            + " AND " + quoted + "." + HiddenColumns.ROW_SEQUENCE + " >= r.first_row_seq"
                            + " AND " + quoted + "." + HiddenColumns.ROW_SEQUENCE
                            + " < r.first_row_seq + r.row_count)")) {
                        delete.setString(1, importKey);
                        delete.setString(2, table);
                        deleted += delete.executeUpdate();
                    }
                }
                try (PreparedStatement ranges =
                        update.prepareStatement("DELETE FROM " + StoreTables.IMPORT_ROWS + " WHERE import_key = ?")) {
                    ranges.setString(1, importKey);
                    ranges.executeUpdate();
                }
                update.commit();
            } catch (SQLException e) {
                update.rollback();
                throw e;
            }
            return deleted;
        } catch (SQLException e) {
            throw new VigilException(
                    StandardErrorCode.STORE_FAILURE, "cannot remove the rows of an unfinished import", e);
        }
    }

    /** Rows accepted but not yet committed, over all tables. */
    @Override
    public int queuedRows() {
        return writers.values().stream().mapToInt(TableWriter::queuedRowCount).sum();
    }

    private TableWriter writer(String table) {
        if (!open) {
            throw new VigilException(StandardErrorCode.INGEST_CLOSED, "store is closed");
        }
        return writers.computeIfAbsent(table, this::newWriter);
    }

    private TableWriter newWriter(String table) {
        if (!table.equals(StoreTables.DEAD_LETTER)) {
            if (catalog.table(table).isEmpty()) {
                throw new VigilException(StandardErrorCode.TABLE_NOT_FOUND, "table not found: " + table);
            }
            materialize(table);
        }
        try {
            return new TableWriter(
                    table,
                    connection.duplicate(),
                    stagingDir,
                    options.writer(),
                    batchIds,
                    nextRowSequence.getOrDefault(table, 0L),
                    clock,
                    this::deadLetterRejectedRow,
                    counters,
                    () -> beforeEachBatch.run(),
                    options.tenantId());
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot open a writer for " + table, e);
        }
    }

    private void deadLetterRejectedRow(DeadLetter deadLetter, String importKey) {
        if (deadLetter.source().equals("store:" + StoreTables.DEAD_LETTER)) {
            LOG.severe("the dead-letter table refused a record: " + deadLetter.detail());
            return;
        }
        try {
            // the caller's batch is acknowledged only after its rejected rows are safe here
            deadLetter(List.of(deadLetter), importKey).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            throw new VigilException(
                    StandardErrorCode.STORE_FAILURE, "cannot dead-letter a rejected row", e.getCause());
        }
    }

    @Override
    public CommitSubscription subscribe(String name, SubscriptionStart start, CommitListener listener) {
        if (!open) {
            throw new VigilException(StandardErrorCode.INGEST_CLOSED, "store is closed");
        }
        return commitLog.subscribe(name, start, listener);
    }

    @Override
    public List<Row> rows(BatchCommitted batch) {
        return commitLog.rows(batch);
    }

    @Override
    public List<Backlog> backlog(long afterBatchId) {
        return commitLog.backlog(afterBatchId);
    }

    private TableSchema schemaOf(String table) {
        if (table.equals(StoreTables.DEAD_LETTER)) {
            return StoreTables.DEAD_LETTER_SCHEMA;
        }
        return catalog.require(table);
    }

    /** Lets a test hold writers before each batch, to observe back-pressure. */
    void beforeEachBatchForTesting(Runnable hook) {
        beforeEachBatch = hook;
    }

    /** Commits everything queued, then closes the database. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        // positions stay where they are: subscribers resume from them when the store opens again
        commitLog.close();
        // data writers first: rows they reject while flushing still go to the dead-letter writer
        List<TableWriter> ordered = new ArrayList<>();
        writers.forEach((table, writer) -> {
            if (!table.equals(StoreTables.DEAD_LETTER)) {
                ordered.add(writer);
            }
        });
        if (writers.containsKey(StoreTables.DEAD_LETTER)) {
            ordered.add(writers.get(StoreTables.DEAD_LETTER));
        }
        for (TableWriter writer : ordered) {
            try {
                writer.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.log(Level.WARNING, "interrupted while flushing writers", e);
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "closing the database failed", e);
        }
        restrictDatabaseFiles(dataDir);
        // after the database: no query can call the lookup any more
        if (geoIp.isPresent()) {
            try {
                geoIp.get().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the GeoIP database failed", e);
            }
        }
    }

    /** The GeoIP database {@code geo_info_from_ip_address} reads, when one is configured. */
    public Optional<GeoIpDatabase> geoIp() {
        return geoIp;
    }
}
