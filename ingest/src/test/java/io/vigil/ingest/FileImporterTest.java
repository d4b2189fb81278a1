package io.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImporterTest {
    @TempDir
    Path temp;

    private static final String ROWS =
            "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"a\"}\n"
                    + "{\"TimeGenerated\":\"2026-11-25T10:01:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"b\"}\n";

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void importedRowsDatedBeforeRetentionAreRepairedCountedAndKept() throws Exception {
        Files.writeString(
                temp.resolve("old.json"),
                "{\"TimeGenerated\":\"1800-01-01T00:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"old\"}\n"
                        + "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"new\"}\n",
                UTF_8);
        TestingClock clock = new TestingClock(Instant.parse("2026-11-25T12:00:00Z"));
        try (DuckDbStore store = DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, clock, new Metrics())) {
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, new Metrics());
            FileImporter importer = new FileImporter(pipeline, Optional.empty(), Optional.empty(), 1 << 20);

            ImportSummary summary = importer.importPaths(List.of(temp.resolve("old.json")));

            assertThat(summary.rowsByTable()).containsEntry("Heartbeat", 2L);
            assertThat(summary.repairsByReason()).containsEntry("time_generated_out_of_range", 1L);
            assertThat(summary.render()).contains("time_generated_out_of_range: 1");
            assertThat(store.applyRetention().rowsDeletedByTable()).isEmpty();
            assertThat(store.rowCounts()).containsEntry("Heartbeat", 2L);
        }
    }

    @Test
    void importsFoldersAndGzipOnceAndDeadLettersWhatItCannotRead() throws Exception {
        Path logs = temp.resolve("logs/resourceId=/SUBSCRIPTIONS/X/y=2026/m=11/d=25/h=10/m=00");
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("PT1H.json"), ROWS, UTF_8);
        Files.write(
                temp.resolve("logs/more.json.gz"),
                gzip(ROWS.replace("\"a\"", "\"c\"").getBytes(UTF_8)));
        Files.writeString(temp.resolve("logs/notes.txt"), "just some words, no log format\n", UTF_8);
        // a gzip bomb: small on disk, far larger than the import limit once inflated
        long maxFileBytes = 1 << 20;
        byte[] zeros = new byte[64 * 1024];
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            for (long written = 0; written <= maxFileBytes; written += zeros.length) {
                gzip.write(zeros);
            }
        }
        Files.write(temp.resolve("logs/bomb.gz"), bomb.toByteArray());

        try (DuckDbStore store = DuckDbStore.open(
                temp.resolve("data"),
                StoreOptions.DEFAULT,
                new TestingClock(Instant.parse("2026-11-25T12:00:00Z")),
                new Metrics())) {
            IngestPipeline pipeline = new IngestPipeline(
                    store,
                    LogFormats.builtIn(),
                    new TestingClock(Instant.parse("2026-11-25T12:00:00Z")),
                    new Metrics());
            FileImporter importer = new FileImporter(pipeline, Optional.empty(), Optional.empty(), maxFileBytes);

            ImportSummary first = importer.importPaths(List.of(temp.resolve("logs")));
            assertThat(first.filesImported()).isEqualTo(4);
            assertThat(first.rowsByTable()).containsEntry("Heartbeat", 4L);
            assertThat(first.deadLettersByReason())
                    .containsEntry("unknown_format", 1L)
                    .containsEntry("oversize", 1L);
            assertThat(first.render()).contains("Heartbeat: 4", "unknown_format: 1", "oversize: 1");

            ImportSummary second = importer.importPaths(List.of(temp.resolve("logs")));
            assertThat(second.filesSkipped()).isEqualTo(4);
            assertThat(second.rows()).isZero();
            assertThat(store.rowCounts()).containsEntry("Heartbeat", 4L).containsEntry("VigilDeadLetter", 2L);
        }
    }
}
