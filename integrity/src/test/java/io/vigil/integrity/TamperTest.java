package io.vigil.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.integrity.Finding.Kind;
import io.vigil.metrics.Metrics;
import io.vigil.spi.Dynamic;
import io.vigil.spi.RetentionRun;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.HiddenColumns;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through the real store with the recorder running, then edits the DuckDB file (or the checkpoint
 * log) directly, the way someone with access to the data folder would, and checks that verify names
 * each change, and nothing on untouched data.
 */
class TamperTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final IntegrityLayout LAYOUT = new IntegrityLayout(HiddenColumns.BATCH_ID, HiddenColumns.ROW_SEQUENCE);

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);

    @BeforeEach
    void writeThreeBatches() throws Exception {
        try (DuckDbStore store = open();
                IntegrityRecorder recorder = IntegrityRecorder.start(store, LAYOUT, clock, Duration.ZERO)) {
            write(
                    store,
                    List.of(
                            syslog(store, "accepted password for alice", NOW.minus(Duration.ofDays(80))),
                            syslog(store, "accepted password for bob", NOW.minusSeconds(120)),
                            syslog(store, "session opened for carol", NOW.minusSeconds(60))));
            write(store, List.of(signIn(store, "dave@contoso.com"), signIn(store, "erin@contoso.com")));
            write(
                    store,
                    List.of(
                            syslog(store, "sudo: frank ran rm", NOW.minusSeconds(30)),
                            syslog(store, "sudo: grace ran ls", NOW.minusSeconds(20))));
            assertThat(recorder.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
    }

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, new Metrics());
    }

    private static void write(DuckDbStore store, List<Row> rows) throws Exception {
        store.write(rows).get(30, TimeUnit.SECONDS);
    }

    private static Row syslog(DuckDbStore store, String message, Instant time) {
        return store.catalog()
                .require("Syslog")
                .newRow()
                .set("TimeGenerated", time)
                .set("SyslogMessage", message)
                .set("ProcessID", 7)
                .build();
    }

    private static Row signIn(DuckDbStore store, String user) {
        return store.catalog()
                .require("SigninLogs")
                .newRow()
                .set("TimeGenerated", NOW.minusSeconds(90))
                .set("UserPrincipalName", user)
                .set("DeviceDetail", new Dynamic("{\"os\": \"Windows\", \"browser\": \"Edge 1.0\"}"))
                .build();
    }

    private VerifyReport verify() throws Exception {
        try (DuckDbStore store = open()) {
            return new Verifier(store, LAYOUT, dataDir, SigningKeys.readPublicKey(SigningKeys.publicKeyFile(dataDir)))
                    .verify();
        }
    }

    private void tamper(String... statements) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve(DuckDbStore.DATABASE_FILE));
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<Kind> kinds(VerifyReport report) {
        List<Kind> kinds = new ArrayList<>();
        report.findings().forEach(finding -> kinds.add(finding.kind()));
        return kinds;
    }

    @Test
    void untouchedDataVerifiesClean() throws Exception {
        VerifyReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.batches()).isEqualTo(3);
        assertThat(report.rowsChecked()).isEqualTo(7);
        assertThat(report.signedThrough()).isEqualTo(3);
    }

    @Test
    void theSigningKeyIsPrivateToTheOwner() throws IOException {
        Path key = dataDir.resolve("secrets").resolve("integrity-signing.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(SigningKeys.publicKeyFile(dataDir))).startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void anUpdatedValueIsAChangedRow() throws Exception {
        tamper("UPDATE Syslog SET SyslogMessage = 'nothing happened' WHERE SyslogMessage LIKE 'sudo: frank%'");
        VerifyReport report = verify();
        assertThat(kinds(report)).containsExactly(Kind.CHANGED_ROW);
        Finding finding = report.findings().getFirst();
        assertThat(finding.table()).isEqualTo("Syslog");
        assertThat(finding.from()).contains(NOW.minusSeconds(30));
    }

    @Test
    void anUpdatedDynamicValueIsAChangedRowButItsSpellingIsNot() throws Exception {
        tamper("UPDATE SigninLogs SET DeviceDetail = '{\"browser\":\"Edge 1.0\",\"os\":\"Windows\"}'");
        assertThat(verify().findings()).isEmpty();
        tamper("UPDATE SigninLogs SET DeviceDetail = '{\"browser\":\"Edge 1.0\",\"os\":\"Linux\"}'"
                + " WHERE UserPrincipalName = 'erin@contoso.com'");
        assertThat(kinds(verify())).containsExactly(Kind.CHANGED_ROW);
    }

    @Test
    void aDeletedRowIsMissing() throws Exception {
        tamper("DELETE FROM Syslog WHERE SyslogMessage LIKE '%bob%'");
        VerifyReport report = verify();
        assertThat(kinds(report)).containsExactly(Kind.MISSING_ROW);
        assertThat(report.findings().getFirst().from()).contains(NOW.minusSeconds(120));
    }

    @Test
    void anInsertedRowIsExtraInItsBatchOrAnExtraBatch() throws Exception {
        tamper("INSERT INTO Syslog SELECT * REPLACE ('planted' AS SyslogMessage, " + HiddenColumns.ROW_SEQUENCE
                + " + 100 AS " + HiddenColumns.ROW_SEQUENCE + ") FROM Syslog WHERE SyslogMessage LIKE '%carol%'");
        assertThat(kinds(verify())).containsExactly(Kind.EXTRA_ROW);
        tamper("INSERT INTO Syslog SELECT * REPLACE ('planted again' AS SyslogMessage, 999 AS " + HiddenColumns.BATCH_ID
                + ") FROM Syslog WHERE SyslogMessage LIKE '%carol%'");
        assertThat(kinds(verify())).containsExactly(Kind.EXTRA_ROW, Kind.EXTRA_BATCH);
    }

    @Test
    void swappedRowsAreReordered() throws Exception {
        tamper(
                "UPDATE Syslog SET " + HiddenColumns.ROW_SEQUENCE + " = -" + HiddenColumns.ROW_SEQUENCE
                        + " WHERE SyslogMessage LIKE 'sudo: frank%'",
                "UPDATE Syslog SET " + HiddenColumns.ROW_SEQUENCE + " = " + HiddenColumns.ROW_SEQUENCE
                        + " - 1 WHERE SyslogMessage LIKE 'sudo: grace%'",
                "UPDATE Syslog SET " + HiddenColumns.ROW_SEQUENCE + " = -" + HiddenColumns.ROW_SEQUENCE + " + 1 WHERE "
                        + HiddenColumns.ROW_SEQUENCE + " < 0");
        assertThat(kinds(verify())).containsExactly(Kind.REORDERED_ROW, Kind.REORDERED_ROW);
    }

    @Test
    void swappedBatchesAreReported() throws Exception {
        String batch = HiddenColumns.BATCH_ID;
        tamper(
                "CREATE TEMP TABLE ids AS SELECT min(" + batch + ") AS first, max(" + batch + ") AS last FROM Syslog",
                "UPDATE Syslog SET " + batch + " = CASE WHEN " + batch + " = (SELECT first FROM ids)"
                        + " THEN (SELECT last FROM ids) ELSE (SELECT first FROM ids) END");
        assertThat(kinds(verify())).contains(Kind.MISSING_BATCH).contains(Kind.EXTRA_ROW);
    }

    @Test
    void aDeletedBatchIsMissing() throws Exception {
        tamper("DELETE FROM SigninLogs");
        VerifyReport report = verify();
        assertThat(kinds(report)).containsExactly(Kind.MISSING_BATCH);
        assertThat(report.findings().getFirst().table()).isEqualTo("SigninLogs");
    }

    @Test
    void rewritingTheChainToMatchIsCaughtByTheSignedCheckpoint() throws Exception {
        // the careful attacker deletes the batch and its chain entry, the newest one
        tamper(
                "DELETE FROM Syslog WHERE SyslogMessage LIKE 'sudo:%'",
                "DELETE FROM " + ChainTable.NAME + " WHERE sequence = 3");
        assertThat(kinds(verify())).containsExactly(Kind.CHECKPOINT_MISMATCH);
        // or alters an entry's digest after changing rows and their hashes
        tamper("UPDATE " + ChainTable.NAME + " SET digest = 'x' WHERE sequence = 1");
        assertThat(kinds(verify())).contains(Kind.CHAIN_BROKEN);
    }

    @Test
    void alteredRowHashesAreCaught() throws Exception {
        tamper("UPDATE " + ChainTable.NAME + " SET row_records = row_records[1:48] WHERE sequence = 1");
        assertThat(kinds(verify())).contains(Kind.ROW_RECORDS_ALTERED);
    }

    @Test
    void anEditedOrDeletedCheckpointIsReported() throws Exception {
        Path log = Checkpoints.file(dataDir);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Files.writeString(log, lines.getLast().replace("\"sequence\":3", "\"sequence\":2") + "\n");
        assertThat(kinds(verify())).containsExactly(Kind.CHECKPOINT_INVALID, Kind.UNSIGNED_ENTRIES);
        Files.delete(log);
        assertThat(kinds(verify())).containsExactly(Kind.UNSIGNED_ENTRIES);
    }

    @Test
    void aForeignKeyDoesNotVerify() throws Exception {
        Path other = Files.createTempDirectory(dataDir, "other");
        SigningKeys.loadOrCreate(other);
        try (DuckDbStore store = open()) {
            VerifyReport report = new Verifier(
                            store, LAYOUT, dataDir, SigningKeys.readPublicKey(SigningKeys.publicKeyFile(other)))
                    .verify();
            assertThat(kinds(report)).contains(Kind.CHECKPOINT_INVALID).contains(Kind.UNSIGNED_ENTRIES);
        }
    }

    @Test
    void recordedRetentionIsNotTamperingButADeletionInsideTheWindowIs() throws Exception {
        clock.advance(Duration.ofDays(20));
        try (DuckDbStore store = open();
                IntegrityRecorder recorder = IntegrityRecorder.start(store, LAYOUT, clock, Duration.ZERO)) {
            RetentionRun run = store.applyRetention();
            assertThat(run.rowsDeletedByTable()).containsEntry("Syslog", 1L);
            recorder.recordRetention(run);
        }
        VerifyReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.rowsExpired()).isEqualTo(1);

        tamper("DELETE FROM Syslog WHERE SyslogMessage LIKE '%carol%'");
        assertThat(kinds(verify())).containsExactly(Kind.MISSING_ROW);
    }

    @Test
    void retentionThatWasNotRecordedIsReported() throws Exception {
        clock.advance(Duration.ofDays(20));
        try (DuckDbStore store = open()) {
            store.applyRetention();
        }
        assertThat(kinds(verify())).containsExactly(Kind.MISSING_ROW);
    }

    @Test
    void aRestartedRecorderContinuesTheChain() throws Exception {
        try (DuckDbStore store = open();
                IntegrityRecorder recorder = IntegrityRecorder.start(store, LAYOUT, clock, Duration.ofHours(1))) {
            write(store, List.of(syslog(store, "after restart", NOW)));
            assertThat(recorder.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        VerifyReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.batches()).isEqualTo(4);
        assertThat(report.signedThrough()).isEqualTo(4);
    }
}
