package io.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.testing.RowCounts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil import} killed with SIGKILL at every point that matters, then run again: each row of each
 * file is stored exactly once. File a has 1,000 rows (5 batches of 200), file b 300 (2 batches).
 */
class ImportCrashTest {
    private static final int A_ROWS = 1_000;
    private static final int B_ROWS = 300;

    /** Where the child is stopped and killed, and the Heartbeat rows committed by then. */
    private record KillPoint(String point, int number, long rowsCommittedAtKill) {}

    private static final List<KillPoint> KILL_POINTS = List.of(
            new KillPoint("batch", 1, 0), // before any commit
            new KillPoint("batch", 3, 400), // between batches of file a
            new KillPoint("ledger", 1, A_ROWS), // a's last batch committed, its ledger entry not written
            new KillPoint("batch", 6, A_ROWS), // a's ledger entry written, b not started
            new KillPoint("batch", 7, A_ROWS + 200), // between batches of file b
            new KillPoint("ledger", 2, A_ROWS + B_ROWS), // b's rows committed, its ledger entry not written
            new KillPoint("end", 0, A_ROWS + B_ROWS)); // both ledger entries written

    @TempDir
    Path temp;

    @Test
    void importKilledAtEachPointAndRunAgainStoresEveryRowExactlyOnce() throws Exception {
        Path logs = Files.createDirectories(temp.resolve("logs"));
        Path a = Files.writeString(logs.resolve("a.json"), heartbeats("a", A_ROWS), UTF_8);
        Path b = Files.writeString(logs.resolve("b.json"), heartbeats("b", B_ROWS), UTF_8);
        List<String> failures = new ArrayList<>();
        for (KillPoint kill : KILL_POINTS) {
            Path dataDir = temp.resolve("data-" + kill.point() + "-" + kill.number());
            runChildUntilHeldThenKill(dataDir, kill, List.of(a, b));
            try (DuckDbStore store = ImportCrashChild.openStore(dataDir)) {
                long atKill = count(store, "SELECT count(*) FROM Heartbeat");
                FileImporter importer = new FileImporter(
                        new IngestPipeline(store, LogFormats.builtIn(), Clock.systemUTC(), new Metrics()),
                        Optional.empty(),
                        Optional.empty());
                ImportSummary rerun = importer.importPaths(List.of(logs));
                long rows = count(store, "SELECT count(*) FROM Heartbeat");
                long distinct = count(store, "SELECT count(DISTINCT Computer) FROM Heartbeat");
                long ranges = count(store, "SELECT count(*) FROM _vigil_import_rows");
                ImportSummary third = importer.importPaths(List.of(logs));
                long afterThird = count(store, "SELECT count(*) FROM Heartbeat");
                String outcome = kill + ": at kill " + atKill + ", after rerun " + rows + " (" + distinct
                        + " distinct), ranges left " + ranges + ", third run skipped " + third.filesSkipped()
                        + " and left " + afterThird + "; rerun: " + rerun.render();
                if (atKill != kill.rowsCommittedAtKill()
                        || rows != A_ROWS + B_ROWS
                        || distinct != A_ROWS + B_ROWS
                        || ranges != 0
                        || third.filesSkipped() != 2
                        || afterThird != A_ROWS + B_ROWS
                        || count(store, "SELECT count(*) FROM VigilDeadLetter") != 0) {
                    failures.add(outcome);
                }
            }
        }
        assertThat(failures)
                .as("kill points where the rerun did not end with each row once")
                .isEmpty();
    }

    private static void runChildUntilHeldThenKill(Path dataDir, KillPoint kill, List<Path> files) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                ImportCrashChild.class.getName(),
                dataDir.toString(),
                kill.point(),
                Integer.toString(kill.number())));
        files.forEach(file -> command.add(file.toString()));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
            String line;
            boolean held = false;
            while (!held && (line = lines.readLine()) != null) {
                held = line.equals("HELD");
            }
            assertThat(held).as("the child reached " + kill).isTrue();
        } finally {
            // SIGKILL on Linux: no shutdown hooks, no store close
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String heartbeats(String file, int rows) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            out.append("{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"")
                    .append(file)
                    .append('-')
                    .append(i)
                    .append("\"}\n");
        }
        return out.toString();
    }

    static long count(DuckDbStore store, String sql) throws Exception {
        try (Connection connection = store.newQueryConnection()) {
            return RowCounts.count(connection, sql);
        }
    }
}
