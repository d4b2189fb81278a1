package io.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.formats.JsonTableFormat;
import io.vigil.formats.LogFormats;
import io.vigil.ingest.watch.FolderWatcher;
import io.vigil.metrics.Metrics;
import io.vigil.spi.LogFormat;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder someone else can write into (a blob-sync target, a shared mount) holds links planted to read
 * what the server can read: a file outside, the workspace's admin key, a folder, and a link between two
 * of the folder's own files. Neither {@code vigil import} nor a watched folder reads any of them.
 */
class InputFilesTest {
    private static final TestingClock CLOCK = new TestingClock(Instant.parse("2026-11-25T12:00:00Z"));
    private static final String ADMIN_KEY = "vigil-admin-key-that-must-not-leak";

    @TempDir
    Path temp;

    private Path dataDir;
    private Path planted;

    @BeforeEach
    void plantLinks() throws Exception {
        dataDir = temp.resolve("data");
        Files.createDirectories(dataDir.resolve("secrets"));
        Files.writeString(dataDir.resolve("secrets/admin.key"), ADMIN_KEY + "\n", UTF_8);
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("other.json"), heartbeat("outside-file"), UTF_8);
        Files.writeString(outside.resolve("in-linked-folder.json"), heartbeat("outside-folder"), UTF_8);

        planted = Files.createDirectories(temp.resolve("shared"));
        Files.writeString(planted.resolve("real.json"), heartbeat("real"), UTF_8);
        Files.createSymbolicLink(planted.resolve("outside.json"), outside.resolve("other.json"));
        Files.createSymbolicLink(planted.resolve("admin.json"), dataDir.resolve("secrets/admin.key"));
        Files.createSymbolicLink(planted.resolve("folder"), outside);
        Files.createSymbolicLink(planted.resolve("again.json"), planted.resolve("real.json"));
    }

    @Test
    void importReadsNoLinkAndCountsEachRefusal() throws Exception {
        try (DuckDbStore store = openStore()) {
            Metrics metrics = new Metrics();
            FileImporter importer = importer(store, metrics, Optional.empty(), false);

            ImportSummary summary = importer.importPaths(List.of(planted));

            assertThat(summary.filesImported()).isEqualTo(1);
            assertThat(summary.filesRefused()).isEqualTo(4);
            assertThat(summary.render()).contains("4 refused");
            assertThat(store.rowCounts()).containsEntry("Heartbeat", 1L).containsEntry("VigilDeadLetter", 0L);
            assertThat(ImportCrashTest.count(store, "SELECT count(*) FROM Heartbeat WHERE Computer = 'real'"))
                    .isEqualTo(1);
            assertThat(metrics.value("files_refused_total", "input", "file_import", "reason", "symlink"))
                    .isEqualTo(4);
        }
    }

    @Test
    void aLinkNamedOnTheCommandLineIsRefusedUnlessFollowedAndTheDataFolderNever() throws Exception {
        try (DuckDbStore store = openStore()) {
            assertThatThrownBy(() -> importer(store, new Metrics(), Optional.empty(), false)
                            .importPaths(List.of(planted.resolve("outside.json"))))
                    .isInstanceOf(VigilException.class)
                    .hasMessageContaining("is a symbolic link")
                    .hasMessageContaining("--follow-symlinks");
            for (Path secret : List.of(planted.resolve("admin.json"), dataDir.resolve("secrets/admin.key"))) {
                assertThatThrownBy(() -> importer(store, new Metrics(), Optional.empty(), true)
                                .importPaths(List.of(secret)))
                        .isInstanceOf(VigilException.class)
                        .hasMessageContaining("inside the data folder");
            }

            ImportSummary followed = importer(store, new Metrics(), Optional.empty(), true)
                    .importPaths(List.of(planted.resolve("outside.json")));

            assertThat(followed.filesImported()).isEqualTo(1);
            assertThat(ImportCrashTest.count(store, "SELECT count(*) FROM Heartbeat WHERE Computer = 'outside-file'"))
                    .isEqualTo(1);
            assertThat(ImportCrashTest.count(store, "SELECT count(*) FROM VigilDeadLetter"))
                    .isZero();
        }
    }

    @Test
    void aWatchedFolderReadsNoLinkAndTheDataFolderCannotBeWatched() throws Exception {
        try (DuckDbStore store = openStore()) {
            Metrics metrics = new Metrics();
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), CLOCK, metrics);
            FolderWatcher watcher =
                    new FolderWatcher(List.of(planted), Duration.ofSeconds(1), pipeline, CLOCK, metrics);
            watcher.scanOnce();
            watcher.scanOnce();
            watcher.close();

            assertThat(store.rowCounts()).containsEntry("Heartbeat", 1L).containsEntry("VigilDeadLetter", 0L);
            assertThat(ImportCrashTest.count(
                            store, "SELECT count(*) FROM VigilDeadLetter WHERE RawData LIKE '%" + ADMIN_KEY + "%'"))
                    .isZero();
            // counted at every scan, logged once per path
            assertThat(metrics.value(
                            "files_refused_total", "input", "watch", "source", planted.toString(), "reason", "symlink"))
                    .isEqualTo(8);

            assertThatThrownBy(() ->
                            new FolderWatcher(List.of(dataDir), Duration.ofSeconds(1), pipeline, CLOCK, new Metrics()))
                    .isInstanceOf(VigilException.class)
                    .hasMessageContaining("inside the data folder");
        }
    }

    @Test
    void theLedgerKeepsImportsApartByTheTableTheyForce() throws Exception {
        Path file = Files.writeString(
                temp.resolve("syslog.json"),
                "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Computer\":\"host\",\"SyslogMessage\":\"hello\"}\n",
                UTF_8);
        try (DuckDbStore store = openStore()) {
            ImportSummary typo = importer(store, new Metrics(), Optional.of(JsonTableFormat.forTable("Sylog")), false)
                    .importPaths(List.of(file));
            assertThat(typo.rows()).isZero();
            assertThat(typo.deadLetters()).isEqualTo(1);

            ImportSummary corrected = importer(
                            store, new Metrics(), Optional.of(JsonTableFormat.forTable("Syslog")), false)
                    .importPaths(List.of(file));
            ImportSummary again = importer(store, new Metrics(), Optional.of(JsonTableFormat.forTable("Syslog")), false)
                    .importPaths(List.of(file));

            assertThat(corrected.filesSkipped()).isZero();
            assertThat(corrected.rowsByTable()).containsEntry("Syslog", 1L);
            assertThat(again.filesSkipped()).isEqualTo(1);
            assertThat(store.rowCounts()).containsEntry("Syslog", 1L);
        }
    }

    private FileImporter importer(
            DuckDbStore store, Metrics metrics, Optional<LogFormat> format, boolean followSymlinks) {
        return new FileImporter(
                new IngestPipeline(store, LogFormats.builtIn(), CLOCK, metrics),
                format,
                Optional.empty(),
                FileImporter.DEFAULT_MAX_FILE_BYTES,
                followSymlinks);
    }

    private DuckDbStore openStore() {
        return DuckDbStore.open(dataDir, StoreOptions.DEFAULT, CLOCK, new Metrics());
    }

    private static String heartbeat(String computer) {
        return "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"" + computer
                + "\"}\n";
    }
}
