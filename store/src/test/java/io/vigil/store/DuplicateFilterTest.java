package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.metrics.Metrics;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuplicateFilterTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);
    private final Metrics metrics = new Metrics();

    @Test
    void aSignInWithTheIdAndTimeOfAStoredOneIsNotStoredAgain() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, metrics)) {
            Instant time = NOW.minusSeconds(60);
            store.write(List.of(signIn(store, "a", time, "alice"), signIn(store, "b", time, "bob")))
                    .get(10, TimeUnit.SECONDS);
            // a redelivery of both plus one new event, with a repeat inside the batch itself
            store.write(List.of(
                            signIn(store, "a", time, "alice"),
                            signIn(store, "c", time, "carol"),
                            signIn(store, "b", time, "bob"),
                            signIn(store, "c", time, "carol")))
                    .get(10, TimeUnit.SECONDS);
            assertThat(users(store)).containsExactly("a alice", "b bob", "c carol");
            assertThat(metrics.value("store_rows_duplicate_total", "table", "SigninLogs"))
                    .isEqualTo(3);
            assertThat(metrics.value("store_rows_committed_total", "table", "SigninLogs"))
                    .isEqualTo(3);
            // only what was written is in the ledger
            assertThat(query(store, "SELECT sum(row_count) FROM _vigil_batches WHERE table_name = 'SigninLogs'"))
                    .containsExactly("3");
        }
    }

    @Test
    void aRepeatIsRecognisedAfterTheStoreIsReopened() throws Exception {
        Instant time = NOW.minusSeconds(3600);
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, metrics)) {
            store.write(List.of(signIn(store, "a", time, "alice"), signIn(store, "b", time.plusSeconds(1), "bob")))
                    .get(10, TimeUnit.SECONDS);
        }
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, metrics)) {
            // the redelivery is not newer than what is stored, so it is looked up and dropped
            store.write(List.of(signIn(store, "b", time.plusSeconds(1), "bob"), signIn(store, "d", NOW, "dave")))
                    .get(10, TimeUnit.SECONDS);
            assertThat(users(store)).containsExactly("a alice", "b bob", "d dave");
        }
    }

    @Test
    void theSameIdAtAnotherTimeOrWithoutAnIdIsKept() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, metrics)) {
            Instant time = NOW.minusSeconds(60);
            store.write(List.of(signIn(store, "a", time, "first"), signIn(store, null, time, "no id")))
                    .get(10, TimeUnit.SECONDS);
            store.write(List.of(
                            signIn(store, "a", time.plusMillis(1), "later"),
                            signIn(store, null, time, "no id"),
                            signIn(store, "", time, "empty id"),
                            signIn(store, "", time, "empty id")))
                    .get(10, TimeUnit.SECONDS);
            assertThat(users(store))
                    .containsExactly("null no id", "null no id", " empty id", " empty id", "a first", "a later");
            assertThat(metrics.value("store_rows_duplicate_total", "table", "SigninLogs"))
                    .isZero();
        }
    }

    @Test
    void aRowWithoutTimeGeneratedIsKeyedByItsIngestionTime() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, metrics)) {
            store.write(List.of(signIn(store, "a", null, "alice"))).get(10, TimeUnit.SECONDS);
            // the same record again at the same ingestion time is a repeat; a second later it is not
            store.write(List.of(signIn(store, "a", NOW, "alice"))).get(10, TimeUnit.SECONDS);
            clock.advance(java.time.Duration.ofSeconds(1));
            store.write(List.of(signIn(store, "a", null, "alice"))).get(10, TimeUnit.SECONDS);
            assertThat(query(store, "SELECT count(*) FROM SigninLogs")).containsExactly("2");
        }
    }

    @Test
    void onlyTablesWhoseRecordsCarryUniqueIdsAreFiltered() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, metrics)) {
            for (String table : DuplicateFilter.ID_COLUMNS.keySet()) {
                assertThat(DuplicateFilter.of(store.catalog().require(table)))
                        .as(table)
                        .isPresent();
            }
            assertThat(DuplicateFilter.of(store.catalog().require("Syslog"))).isEmpty();
            TableSchema syslog = store.catalog().require("Syslog");
            List<Row> repeats = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                repeats.add(syslog.newRow()
                        .set("TimeGenerated", NOW)
                        .set("SyslogMessage", "same line twice is two events")
                        .build());
            }
            store.write(repeats).get(10, TimeUnit.SECONDS);
            assertThat(query(store, "SELECT count(*) FROM Syslog")).containsExactly("2");
        }
    }

    private static Row signIn(DuckDbStore store, String id, Instant time, String user) {
        Row.Builder row = store.catalog().require("SigninLogs").newRow().set("UserDisplayName", user);
        if (id != null) {
            row.set("Id", id);
        }
        if (time != null) {
            row.set("TimeGenerated", time);
        }
        return row.build();
    }

    private static List<String> users(DuckDbStore store) throws Exception {
        return query(
                store,
                "SELECT concat(coalesce(Id, 'null'), ' ', UserDisplayName) FROM SigninLogs ORDER BY Id NULLS FIRST,"
                        + " UserDisplayName");
    }

    private static List<String> query(DuckDbStore store, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
