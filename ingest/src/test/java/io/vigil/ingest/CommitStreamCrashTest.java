package io.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.metrics.Metrics;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.CommitSubscription;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while three inputs write and a named subscriber follows the commit
 * stream, then resumes the subscriber in a new process: together the two runs deliver every committed
 * batch once, in commit order, with its rows, and nothing the first run acknowledged comes again.
 */
@Timeout(300)
class CommitStreamCrashTest {
    private static final int BATCHES_BEFORE_KILL = 20;

    @TempDir
    Path dataDir;

    /** A batch as the child printed it. */
    private record Seen(String table, long batchId, long rowCount, long rowsRead) {
        static Seen parse(String line) {
            String[] parts = line.split(" ");
            return new Seen(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4]));
        }
    }

    @Test
    void aResumedSubscriberSeesEveryCommittedBatchOnceInOrderAfterSigkill() throws Exception {
        List<Seen> firstRun = new ArrayList<>();
        Process ingesting = child("ingest");
        try (BufferedReader lines = reader(ingesting)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Set<String> tables = new HashSet<>();
            String line;
            while ((firstRun.size() < BATCHES_BEFORE_KILL || tables.size() < 3)
                    && System.nanoTime() < deadline
                    && (line = lines.readLine()) != null) {
                if (line.startsWith("SEEN ")) {
                    Seen seen = Seen.parse(line);
                    firstRun.add(seen);
                    tables.add(seen.table());
                }
            }
            // SIGKILL on Linux: no shutdown hooks, writers and the subscriber stopped mid-batch
            ingesting.destroyForcibly();
            assertThat(ingesting.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(tables).as("tables seen before the kill").contains("Syslog", "Event", "Heartbeat");
        }

        List<Seen> secondRun = new ArrayList<>();
        Process resuming = child("resume");
        String last = "";
        try (BufferedReader lines = reader(resuming)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("SEEN ")) {
                    secondRun.add(Seen.parse(line));
                }
                last = line;
            }
        }
        assertThat(resuming.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last).isEqualTo("CAUGHT_UP true");

        // every batch of the first run but the one in hand at the kill was acknowledged: never again
        Seen inHand = firstRun.getLast();
        List<Seen> acknowledged = firstRun.subList(0, firstRun.size() - 1);
        assertThat(secondRun).doesNotContainAnyElementsOf(acknowledged);
        List<Seen> together = new ArrayList<>(firstRun);
        if (!secondRun.isEmpty() && secondRun.getFirst().equals(inHand)) {
            together.addAll(secondRun.subList(1, secondRun.size()));
        } else {
            together.addAll(secondRun);
        }

        List<BatchCommitted> committed = new CopyOnWriteArrayList<>();
        Map<String, Long> rowCounts;
        try (DuckDbStore store =
                DuckDbStore.open(dataDir.resolve("store"), StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            try (CommitSubscription auditor = store.subscribe("auditor", SubscriptionStart.EARLIEST, committed::add)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!auditor.caughtUp() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(auditor.caughtUp()).isTrue();
            }
            rowCounts = store.rowCounts();
        }
        assertThat(together)
                .as("both runs together: every committed batch once, in commit order")
                .isEqualTo(committed.stream()
                        .map(batch -> new Seen(batch.table(), batch.batchId(), batch.rowCount(), batch.rowCount()))
                        .toList());
        assertThat(together).extracting(Seen::batchId).isSorted();
        // nothing was skipped: the batches account for every row stored
        Map<String, Long> rowsByTable = new TreeMap<>();
        for (Seen seen : together) {
            rowsByTable.merge(seen.table(), seen.rowCount(), Long::sum);
        }
        rowsByTable.forEach(
                (table, rows) -> assertThat(rowCounts.get(table)).as(table).isEqualTo(rows));
        assertThat(rowsByTable.keySet()).contains("Syslog", "Event", "Heartbeat");
    }

    private Process child(String mode) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CommitStreamCrashChild.class.getName(),
                        mode,
                        dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    }
}
