package io.vigil.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.metrics.Metrics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while it ingests, then reopens its store: every acknowledged row
 * must be there, none twice, and the store must accept new rows.
 */
class CrashTest {
    private static final long ACKED_ROWS_BEFORE_KILL = 20_000;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedRowSurvivesSigkillAndNoneIsDuplicated() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashIngestChild.class.getName(),
                        dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<long[]> acked = new ArrayList<>();
        long ackedRows = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            while (ackedRows < ACKED_ROWS_BEFORE_KILL
                    && System.nanoTime() < deadline
                    && (line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    long[] range = {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
                    acked.add(range);
                    ackedRows += range[1] - range[0] + 1;
                }
            }
            // SIGKILL on Linux: no shutdown hooks, no flush, mid-batch
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ackedRows).as("acknowledged rows before the kill").isGreaterThanOrEqualTo(ACKED_ROWS_BEFORE_KILL);

        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics());
                Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE acked (first BIGINT, last BIGINT)");
            StringBuilder insert = new StringBuilder("INSERT INTO acked VALUES ");
            for (int i = 0; i < acked.size(); i++) {
                if (i > 0) {
                    insert.append(',');
                }
                insert.append('(')
                        .append(acked.get(i)[0])
                        .append(',')
                        .append(acked.get(i)[1])
                        .append(')');
            }
            statement.execute(insert.toString());
            try (ResultSet missing =
                    statement.executeQuery("SELECT count(*) FROM acked a, range(a.first, a.last + 1) r(id)"
                            + " WHERE NOT EXISTS (SELECT 1 FROM Syslog s WHERE CAST(s.Computer AS BIGINT) = r.id)")) {
                missing.next();
                assertThat(missing.getLong(1))
                        .as("acknowledged rows missing after the crash")
                        .isZero();
            }
            try (ResultSet duplicated = statement.executeQuery(
                    "SELECT count(*) FROM (SELECT Computer FROM Syslog GROUP BY Computer HAVING count(*) > 1)")) {
                duplicated.next();
                assertThat(duplicated.getLong(1)).as("rows stored twice").isZero();
            }
            try (ResultSet sequences =
                    statement.executeQuery("SELECT count(*) - count(DISTINCT _vigil_row_seq) FROM Syslog")) {
                sequences.next();
                assertThat(sequences.getLong(1)).isZero();
            }
            store.write(List.of(store.catalog()
                            .require("Syslog")
                            .newRow()
                            .set("Computer", "after-crash")
                            .build()))
                    .get(10, TimeUnit.SECONDS);
        }
    }
}
