package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.metrics.Metrics;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import io.vigil.spi.RetentionRun;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);
    private final Metrics metrics = new Metrics();

    private DuckDbStore open(StoreOptions options) {
        return DuckDbStore.open(dataDir, options, clock, metrics);
    }

    private static Row syslog(DuckDbStore store, String message, Instant time) {
        return store.catalog()
                .require("Syslog")
                .newRow()
                .set("TimeGenerated", time)
                .set("Computer", "vm-1")
                .set("SyslogMessage", message)
                .set("ProcessID", 42)
                .build();
    }

    private static long count(DuckDbStore store, String sql) throws Exception {
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void rowsAreVisibleWhenTheFutureCompletes() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            String hostile = "quote \" comma , newline \n cr \r nul \0 emoji \uD83D\uDD12 lone \uD800 end";
            store.write(List.of(syslog(store, hostile, NOW), syslog(store, "", NOW.minusSeconds(5))))
                    .get(10, TimeUnit.SECONDS);
            try (Connection connection = store.newQueryConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT SyslogMessage, ProcessID, Type, HostName,"
                            + " epoch_us(TimeGenerated), _vigil_row_seq FROM Syslog ORDER BY _vigil_row_seq")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1))
                        .isEqualTo(hostile.replace('\0', '\uFFFD').replace('\uD800', '\uFFFD'));
                assertThat(rows.getInt(2)).isEqualTo(42);
                assertThat(rows.getString(3)).isEqualTo("Syslog");
                assertThat(rows.getString(4)).isNull();
                assertThat(rows.getLong(5)).isEqualTo(NOW.toEpochMilli() * 1000);
                assertThat(rows.getLong(6)).isEqualTo(0);
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEmpty();
                assertThat(rows.getLong(6)).isEqualTo(1);
            }
        }
    }

    /**
     * The catalog knows every reference table, but opening a store creates none of them: a table gets its
     * DuckDB table at its first write, keeps it across a restart, and only written tables are counted.
     */
    @Test
    void catalogTablesAreCreatedAtTheirFirstWriteAndFoundAgainOnReopen() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            assertThat(store.catalog().table("AZFWIdpsSignature")).isPresent();
            assertThat(duckDbTables(store)).doesNotContain("AZFWIdpsSignature", "Syslog");
            assertThat(store.storedTable("AZFWIdpsSignature").orElseThrow().materialized())
                    .isFalse();
            assertThat(store.rowCounts()).containsOnlyKeys("VigilDeadLetter");
            assertThat(store.applyRetention().cutoffByTable()).doesNotContainKey("AZFWIdpsSignature");

            Row signature = store.catalog()
                    .require("AZFWIdpsSignature")
                    .newRow()
                    .set("TimeGenerated", NOW)
                    .set("SignatureId", "2024897")
                    .set("Action", "Deny")
                    .build();
            store.write(List.of(signature)).get(10, TimeUnit.SECONDS);
            assertThat(duckDbTables(store)).contains("AZFWIdpsSignature").doesNotContain("Syslog");
            assertThat(store.storedTable("AZFWIdpsSignature").orElseThrow().materialized())
                    .isTrue();
            assertThat(count(store, "SELECT count(*) FROM AZFWIdpsSignature WHERE SignatureId = '2024897'"))
                    .isEqualTo(1);
            assertThat(store.rowCounts()).containsOnlyKeys("VigilDeadLetter", "AZFWIdpsSignature");
        }
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            assertThat(store.isMaterialized("AZFWIdpsSignature")).isTrue();
            assertThat(store.isMaterialized("Syslog")).isFalse();
            assertThat(store.rowCounts()).containsEntry("AZFWIdpsSignature", 1L);
        }
    }

    private static List<String> duckDbTables(DuckDbStore store) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @Test
    void missingTimeGeneratedBecomesTheIngestionTimeAndTenantIdTheWorkspace() throws Exception {
        try (DuckDbStore store = open(StoreOptions.builder()
                .tenantId("0b8e0c36-5f4a-4b0e-9f59-1b0fa2b5c001")
                .build())) {
            Row row = store.catalog()
                    .require("Heartbeat")
                    .newRow()
                    .set("Computer", "vm-2")
                    .build();
            store.write(List.of(row)).get(10, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT epoch_us(TimeGenerated) FROM Heartbeat"))
                    .isEqualTo(NOW.toEpochMilli() * 1000);
            assertThat(count(
                            store,
                            "SELECT count(*) FROM Heartbeat WHERE TimeGenerated = _vigil_ingestion_time"
                                    + " AND TenantId = '0b8e0c36-5f4a-4b0e-9f59-1b0fa2b5c001'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void smallWritesAreBatchedAndSequencesSurviveReopen() throws Exception {
        WriterConfig config = new WriterConfig(10_000, Duration.ofMillis(200), 100_000, Duration.ofSeconds(10));
        try (DuckDbStore store = open(StoreOptions.builder()
                .writer(config)
                .retention(RetentionPolicy.DEFAULT)
                .build())) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                acks.add(store.write(List.of(syslog(store, "m" + i, NOW))));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(500);
            assertThat(count(store, "SELECT count(*) FROM _vigil_batches WHERE table_name = 'Syslog'"))
                    .isBetween(1L, 50L);
        }
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            store.write(List.of(syslog(store, "after reopen", NOW))).get(10, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT count(DISTINCT _vigil_row_seq) FROM Syslog"))
                    .isEqualTo(501);
            assertThat(count(store, "SELECT max(_vigil_row_seq) FROM Syslog")).isEqualTo(500);
            assertThat(count(store, "SELECT count(DISTINCT _vigil_batch_id) FROM Syslog"))
                    .isEqualTo(count(store, "SELECT count(*) FROM _vigil_batches WHERE table_name = 'Syslog'"));
        }
    }

    @Test
    void rowsTheDatabaseRefusesAreDeadLetteredAndTheirNeighboursCommitted() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                Dynamic properties = new Dynamic("{\"n\":" + i + "}");
                if (i == 4) {
                    properties = new Dynamic("{not json");
                }
                rows.add(store.catalog()
                        .require("AzureActivity")
                        .newRow()
                        .set("TimeGenerated", NOW)
                        .set("OperationNameValue", "op" + i)
                        .set("Properties_d", properties)
                        .build());
            }
            store.write(rows).get(30, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT count(*) FROM AzureActivity")).isEqualTo(8);
            assertThat(count(
                            store,
                            "SELECT count(*) FROM VigilDeadLetter WHERE Reason = 'store_rejected'"
                                    + " AND RawData LIKE '%{not json%'"))
                    .isEqualTo(1);
            assertThat(metrics.value("store_rows_rejected_total", "table", "AzureActivity"))
                    .isEqualTo(1);
        }
    }

    @Test
    void deadLettersKeepRawBytes() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            byte[] binary = {(byte) 0xFF, 0x00, (byte) 0xC3, 0x28};
            store.deadLetter(List.of(
                            new DeadLetter("test", "json_table", DeadLetterReason.INVALID_UTF8, "bad bytes", binary),
                            new DeadLetter(
                                    "test", "json_table", DeadLetterReason.INVALID_JSON, "at 1:2", "{x".getBytes())))
                    .get(10, TimeUnit.SECONDS);
            try (Connection connection = store.newQueryConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT Reason, RawEncoding, RawData, RawSize FROM VigilDeadLetter ORDER BY Reason")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("invalid_json");
                assertThat(rows.getString(2)).isEqualTo("utf8");
                assertThat(rows.getString(3)).isEqualTo("{x");
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("invalid_utf8");
                assertThat(rows.getString(2)).isEqualTo("base64");
                assertThat(java.util.Base64.getDecoder().decode(rows.getString(3)))
                        .isEqualTo(binary);
                assertThat(rows.getLong(4)).isEqualTo(4);
            }
            assertThat(store.rowCounts()).containsEntry("VigilDeadLetter", 2L);
        }
    }

    @Test
    void customTablesAreCreatedExtendedAndReloaded() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            TableSchema created = store.ensureCustomTable(
                    new TableSchema("MyApp_CL", List.of(new Column("user_s", ColumnType.STRING))));
            assertThat(created.columns()).extracting(Column::name).contains("user_s", "TimeGenerated", "Type");
            TableSchema extended = store.ensureCustomTable(new TableSchema(
                    "MyApp_CL",
                    List.of(new Column("user_s", ColumnType.STRING), new Column("bytes_d", ColumnType.REAL))));
            assertThat(extended.indexOf("bytes_d")).isPositive();
            store.write(List.of(
                            created.newRow().set("user_s", "old schema row").build(),
                            extended.newRow()
                                    .set("user_s", "alice")
                                    .set("bytes_d", 1.5)
                                    .build()))
                    .get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> store.ensureCustomTable(new TableSchema("bad name_CL", List.of())))
                    .isInstanceOf(VigilException.class);
        }
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            TableSchema reloaded = store.catalog().require("MyApp_CL");
            assertThat(reloaded.column("bytes_d").orElseThrow().type()).isEqualTo(ColumnType.REAL);
            assertThat(store.rowCounts()).containsEntry("MyApp_CL", 2L);
        }
    }

    @Test
    void intakeReplacesTimesRetentionWouldDeleteOrTooFarAheadWithTheSameCutoff() throws Exception {
        RetentionPolicy policy = new RetentionPolicy(90, Map.of("Syslog", 7));
        try (DuckDbStore store = open(StoreOptions.builder()
                .writer(WriterConfig.DEFAULT)
                .retention(policy)
                .build())) {
            Instant cutoff = policy.cutoff("Syslog", NOW);
            assertThat(cutoff).isEqualTo(Instant.parse("2026-11-18T00:00:00Z"));
            store.write(List.of(
                            syslog(store, "at the cutoff", cutoff),
                            syslog(store, "just before the cutoff", cutoff.minusSeconds(1)),
                            syslog(store, "dated 1990", Instant.parse("1990-01-01T00:00:00Z")),
                            syslog(store, "a day ahead", NOW.plus(TimeGeneratedWindow.MAX_FUTURE)),
                            syslog(
                                    store,
                                    "beyond a day ahead",
                                    NOW.plus(TimeGeneratedWindow.MAX_FUTURE).plusSeconds(1))))
                    .get(10, TimeUnit.SECONDS);

            assertThat(metrics.value("store_rows_time_repaired_total", "table", "Syslog"))
                    .isEqualTo(3);
            assertThat(count(
                            store,
                            "SELECT count(*) FROM Syslog WHERE TimeGenerated = make_timestamp("
                                    + CsvBatchEncoder.epochMicros(NOW) + ")"))
                    .isEqualTo(3);
            // what was acknowledged, the next retention pass keeps
            assertThat(store.applyRetention().rowsDeletedByTable()).isEmpty();
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(5);
        }
    }

    @Test
    void columnAdditionsAreAllOrNoneAndTheCatalogStaysConsistent() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            store.ensureCustomTable(new TableSchema("Atomic_CL", List.of(new Column("a_s", ColumnType.STRING))));
            // a column the database has but the catalog does not: the second of two additions fails
            try (Connection connection = store.newQueryConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE Atomic_CL ADD COLUMN c_s VARCHAR");
            }
            TableSchema failing = new TableSchema(
                    "Atomic_CL", List.of(new Column("b_s", ColumnType.STRING), new Column("c_s", ColumnType.STRING)));
            assertThatThrownBy(() -> store.ensureCustomTable(failing)).isInstanceOf(VigilException.class);

            assertThat(count(
                            store,
                            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'Atomic_CL'"
                                    + " AND column_name = 'b_s'"))
                    .as("the first addition was rolled back")
                    .isZero();
            assertThat(store.catalog().require("Atomic_CL").indexOf("b_s")).isNegative();
            // and the table still takes rows and new columns
            TableSchema extended = store.ensureCustomTable(
                    new TableSchema("Atomic_CL", List.of(new Column("b_s", ColumnType.STRING))));
            store.write(List.of(extended.newRow().set("b_s", "written").build()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT count(*) FROM Atomic_CL WHERE b_s = 'written'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void customTableNamesAreCaseInsensitiveAndCaseTwinColumnsReloadByName() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            store.ensureCustomTable(new TableSchema("Mixed_CL", List.of(new Column("Zed_s", ColumnType.STRING))));
            TableSchema twin = store.ensureCustomTable(
                    new TableSchema("MIXED_CL", List.of(new Column("zed_s", ColumnType.STRING))));
            assertThat(twin.name()).isEqualTo("Mixed_CL");
            assertThat(SchemaDdl.physicalColumnNames(twin)).contains("Zed_s", "zed_s$2");
            assertThatThrownBy(() -> store.ensureCustomTable(new TableSchema("azurenetworkanalytics_CL", List.of())))
                    .isInstanceOf(VigilException.class)
                    .hasMessageContaining("built-in");
        }
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            TableSchema reloaded = store.catalog().require("Mixed_CL");
            assertThat(reloaded.indexOf("Zed_s")).isNotNegative();
            assertThat(reloaded.indexOf("zed_s")).isNotNegative();
            assertThat(store.catalog().table("MIXED_CL")).isEmpty();
        }
    }

    @Test
    void retentionDeletesWholeExpiredDaysAndLogsThem() throws Exception {
        RetentionPolicy policy = new RetentionPolicy(90, Map.of("Syslog", 7));
        try (DuckDbStore store = open(StoreOptions.builder()
                .writer(WriterConfig.DEFAULT)
                .retention(policy)
                .build())) {
            Instant eightDaysAgo = NOW.minus(Duration.ofDays(8));
            Instant sevenDaysAgoMorning = Instant.parse("2026-11-18T01:00:00Z");
            // written when it was current: intake replaces a time already past retention
            clock.set(eightDaysAgo);
            store.write(List.of(syslog(store, "old", eightDaysAgo))).get(10, TimeUnit.SECONDS);
            Row oldHeartbeat = store.catalog()
                    .require("Heartbeat")
                    .newRow()
                    .set("TimeGenerated", eightDaysAgo)
                    .build();
            store.write(List.of(oldHeartbeat)).get(10, TimeUnit.SECONDS);
            clock.set(NOW);
            store.write(List.of(syslog(store, "same day as cutoff", sevenDaysAgoMorning), syslog(store, "fresh", NOW)))
                    .get(10, TimeUnit.SECONDS);

            RetentionRun run = store.applyRetention();

            // the cutoff is the start of the day 7 days ago, so that whole day is kept
            assertThat(run.cutoffByTable()).containsEntry("Syslog", Instant.parse("2026-11-18T00:00:00Z"));
            assertThat(run.rowsDeletedByTable()).isEqualTo(Map.of("Syslog", 1L));
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(2);
            assertThat(count(store, "SELECT count(*) FROM Heartbeat")).isEqualTo(1);
            assertThat(count(store, "SELECT rows_deleted FROM _vigil_retention_log WHERE table_name = 'Syslog'"))
                    .isEqualTo(1);

            clock.advance(Duration.ofDays(100));
            assertThat(store.applyRetention().rowsDeletedByTable())
                    .containsEntry("Heartbeat", 1L)
                    .containsEntry("Syslog", 2L);
        }
    }

    @Test
    void fullQueuesSlowCallersDownAndRefuseAfterTheTimeout() throws Exception {
        WriterConfig tiny = new WriterConfig(10, Duration.ZERO, 10, Duration.ofMillis(300));
        try (DuckDbStore store = open(StoreOptions.builder()
                .writer(tiny)
                .retention(RetentionPolicy.DEFAULT)
                .build())) {
            CountDownLatch release = new CountDownLatch(1);
            store.beforeEachBatchForTesting(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<Row> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add(syslog(store, "r" + i, NOW));
            }
            CompletableFuture<Void> first = store.write(ten);
            assertThat(store.queuedRows()).isEqualTo(10);
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.write(List.of(syslog(store, "one too many", NOW))))
                    .isInstanceOf(VigilException.class)
                    .extracting(e -> ((VigilException) e).errorCode())
                    .isEqualTo(StandardErrorCode.INGEST_OVERLOADED);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(first).isNotDone();

            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            store.write(List.of(syslog(store, "fits again", NOW))).get(10, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(11);
        }
    }

    @Test
    void queriesRunWhileIngestContinues() throws Exception {
        try (DuckDbStore store = open(StoreOptions.DEFAULT)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            long seen = 0;
            for (int round = 0; round < 20; round++) {
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    rows.add(syslog(store, "round " + round, NOW));
                }
                acks.add(store.write(rows));
                long now = count(store, "SELECT count(*) FROM Syslog");
                assertThat(now).isGreaterThanOrEqualTo(seen);
                seen = now;
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(20_000);
        }
    }
}
