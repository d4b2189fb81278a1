package io.vigil.ingest.watch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.RowCounts;
import io.vigil.testing.TestingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {
    private static final TestingClock CLOCK = new TestingClock(Instant.parse("2026-11-25T12:00:00Z"));

    @TempDir
    Path temp;

    @Test
    void appendedLinesAreStoredExactlyOnceAcrossARestart() throws Exception {
        Path watched = Files.createDirectories(temp.resolve("blobs"));
        Path hour = Files.createDirectories(
                watched.resolve(
                        "insights-activity-logs/resourceId=/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111/y=2026/m=11/d=25/h=10/m=00"));
        Path blob = hour.resolve("PT1H.json");
        Files.writeString(blob, activity(0) + "\n" + activity(1) + "\n", UTF_8);

        try (DuckDbStore store = openStore()) {
            FolderWatcher watcher = watcher(watched, store);
            watcher.scanOnce();
            assertThat(activityRows(store)).isEqualTo(2);

            // Azure appends during the hour; a scan may see a line half written
            String third = activity(3);
            append(blob, activity(2) + "\n" + third.substring(0, 40));
            watcher.scanOnce();
            assertThat(activityRows(store)).isEqualTo(3);
            watcher.close();
        }

        append(blob, activity(3).substring(40) + "\n" + activity(4) + "\n");
        try (DuckDbStore store = openStore()) {
            FolderWatcher restarted = watcher(watched, store);
            restarted.scanOnce();
            restarted.scanOnce();
            assertThat(activityRows(store)).isEqualTo(5);
            assertThat(count(store, "SELECT count(DISTINCT CorrelationId) FROM AzureActivity"))
                    .isEqualTo(5);
            assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
            restarted.close();
        }
    }

    @Test
    void recordDocumentsStoreOnlyTheRecordsAddedOnceComplete() throws Exception {
        Path watched = Files.createDirectories(temp.resolve("exports"));
        Path document = watched.resolve("activity.json");
        Files.writeString(document, envelope(0, 2), UTF_8);
        try (DuckDbStore store = openStore()) {
            FolderWatcher watcher = watcher(watched, store);
            watcher.scanOnce();
            assertThat(activityRows(store)).isEqualTo(2);

            Files.writeString(document, envelope(0, 3), UTF_8);
            watcher.scanOnce();
            assertThat(activityRows(store)).isEqualTo(3);

            // caught while the writer rewrites it: incomplete, so nothing yet
            String whole = envelope(0, 5);
            Files.writeString(document, whole.substring(0, whole.length() - 30), UTF_8);
            watcher.scanOnce();
            assertThat(activityRows(store)).isEqualTo(3);

            Files.writeString(document, whole, UTF_8);
            watcher.scanOnce();
            watcher.scanOnce();
            assertThat(activityRows(store)).isEqualTo(5);
            assertThat(count(store, "SELECT count(DISTINCT CorrelationId) FROM AzureActivity"))
                    .isEqualTo(5);
            watcher.close();
        }
    }

    @Test
    void pollingThreadPicksUpNewFilesAndReplacedFilesAreReadAgain() throws Exception {
        Path watched = Files.createDirectories(temp.resolve("drop"));
        try (DuckDbStore store = openStore();
                FolderWatcher watcher = new FolderWatcher(
                                List.of(watched), Duration.ofMillis(100), pipeline(store), CLOCK, new Metrics())
                        .start()) {
            Files.writeString(watched.resolve("a.json"), activity(10) + "\n", UTF_8);
            awaitRows(store, 1);
            // rotated: same name, new content that is shorter than what was stored
            Files.writeString(watched.resolve("a.json"), activity(11).replace("VM11", "V") + "\n", UTF_8);
            awaitRows(store, 2);
        }
    }

    private FolderWatcher watcher(Path folder, DuckDbStore store) {
        return new FolderWatcher(
                List.of(folder), FolderWatcher.DEFAULT_INTERVAL, pipeline(store), CLOCK, new Metrics());
    }

    private DuckDbStore openStore() {
        return DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, CLOCK, new Metrics());
    }

    private static IngestPipeline pipeline(DuckDbStore store) {
        return new IngestPipeline(store, LogFormats.builtIn(), CLOCK, new Metrics());
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, UTF_8, StandardOpenOption.APPEND);
    }

    private static void awaitRows(DuckDbStore store, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (activityRows(store) != rows) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + rows + " rows, have " + activityRows(store));
            }
            Thread.sleep(50);
        }
    }

    private static long activityRows(DuckDbStore store) throws Exception {
        return count(store, "SELECT count(*) FROM AzureActivity");
    }

    private static long count(DuckDbStore store, String sql) throws Exception {
        try (Connection connection = store.newQueryConnection()) {
            return RowCounts.count(connection, sql);
        }
    }

    private static String envelope(int from, int to) {
        List<String> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(activity(i));
        }
        return "{\"records\": [\n" + String.join(",\n", records) + "\n]}\n";
    }

    /** An Activity-log record as diagnostic settings write it to storage, one per line. */
    private static String activity(int number) {
        return "{\"time\":\"2026-11-25T10:17:34.3210000Z\",\"resourceId\":\"/SUBSCRIPTIONS/11111111-1111-1111-1111-"
                + "111111111111/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM" + number
                + "\",\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\",\"category\":\"Administrative\","
                + "\"resultType\":\"Success\",\"callerIpAddress\":\"198.51.100.7\",\"correlationId\":\""
                + String.format("9d2c7e6a-1b3f-4c5d-8e9f-%012d", number) + "\",\"level\":\"Information\","
                + "\"properties\":{\"statusCode\":\"Created\"}}";
    }
}
