package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.CustomTableInference;
import io.vigil.formats.JsonTableFormat;
import io.vigil.formats.LogFormats;
import io.vigil.metrics.Metrics;
import io.vigil.spi.ColumnType;
import io.vigil.spi.TableSchema;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.SharedCorpus;
import io.vigil.testing.TestingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every real sample of the test corpus imports through detection, parsing and the store: the repository's copy
 * always, and the samples kept out of it (Elastic-licensed, read from the shared corpus only) when the shared
 * corpus is beside the repository. A sample may dead-letter only where this test names the real defect;
 * everything else must give rows and no dead letter. The lists are exact: a sample that starts loading cleanly
 * fails the test until it is taken off the list.
 */
class CorpusSamplesImportTest {
    /** Samples of the repository's copy expected to dead-letter, with the reason code and count, and why. */
    private static final Map<String, Map<String, Long>> EXPECTED_DEAD_LETTERS = Map.of(
            // a custom-table export of raw auditd fields: no Type or TimeGenerated says which table it is;
            // it imports with --table (see customTableExportImportsWithItsTableNamed)
            "linux-audit-sentinel-sample-data/LinuxAudit_CL.json", Map.of("unknown_format", 1L),
            // the exporting parser overwrote the Type column with parsed fields (DHCPDISCOVER, lame-servers...)
            "syslog-sentinel-sample-data/InfobloxNIOS.json", Map.of("unknown_table", 50L),
            // the header cell of the Type column is blank
            "cef-commonsecuritylog-sentinel-sample-data/Forcepoint CASB.csv", Map.of("unknown_table", 4L));

    /** The same for the samples only the shared corpus has. */
    private static final Map<String, Map<String, Long>> EXPECTED_SHARED_ONLY_DEAD_LETTERS = Map.of(
            // Microsoft's own service principals' sign-ins have no Log Analytics table
            "entra_signin/elastic-test-signinlogs-raw.log", Map.of("unknown_table", 1L));

    @TempDir
    Path dataDir;

    @Test
    void everySampleImportsOrDeadLettersForANamedDefect() throws Exception {
        Path samples = SharedCorpus.samples();
        List<Path> files = logSamples(samples);
        assertThat(files).hasSizeGreaterThan(200);
        assertThat(importAll(samples, files)).isEqualTo(EXPECTED_DEAD_LETTERS);
    }

    @Test
    void samplesOnlyTheSharedCorpusHasImportOrDeadLetterForANamedDefect() throws Exception {
        Path sharedSamples = SharedCorpus.sharedCorpusOrSkip("importing the Elastic-licensed samples")
                .resolve("samples");
        Path copied = SharedCorpus.samples();
        List<Path> files = logSamples(sharedSamples).stream()
                .filter(file -> !Files.exists(copied.resolve(sharedSamples.relativize(file))))
                .toList();
        assertThat(files)
                .extracting(file -> sharedSamples.relativize(file).toString())
                .as("the samples kept out of testing/corpus (listed in its LICENSES.md)")
                .containsExactlyInAnyOrder(
                        "entra_signin/elastic-test-signinlogs-raw.log",
                        "entra_audit/elastic-test-auditlogs-raw.log",
                        "nsg_flow/elastic-test-nsg.log",
                        "resource_logs/elastic-test-platformlogs-raw.log");
        assertThat(importAll(sharedSamples, files)).isEqualTo(EXPECTED_SHARED_ONLY_DEAD_LETTERS);
    }

    /** Imports each file and returns the dead letters by sample; a sample not expected to fail must give rows. */
    private Map<String, Map<String, Long>> importAll(Path samples, List<Path> files) throws Exception {
        TestingClock clock = new TestingClock(Instant.parse("2026-11-25T12:00:00Z"));
        Map<String, Map<String, Long>> actualDeadLetters = new TreeMap<>();
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, new Metrics())) {
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, new Metrics());
            for (Path file : files) {
                String name = samples.relativize(file).toString();
                IngestResult result = pipeline.ingest("test", name, Files.readAllBytes(file), Optional.empty());
                if (!result.deadLettersByReason().isEmpty()) {
                    actualDeadLetters.put(name, result.deadLettersByReason());
                }
                if (!EXPECTED_DEAD_LETTERS.containsKey(name) && !EXPECTED_SHARED_ONLY_DEAD_LETTERS.containsKey(name)) {
                    assertThat(result.rows())
                            .as("rows from %s (format %s)", name, result.format())
                            .isPositive();
                }
            }
        }
        return actualDeadLetters;
    }

    private static List<Path> logSamples(Path samples) throws Exception {
        try (Stream<Path> walk = Files.walk(samples)) {
            return walk.filter(Files::isRegularFile)
                    .filter(CorpusSamplesImportTest::isLogSample)
                    .sorted()
                    .toList();
        }
    }

    @Test
    void customTableExportImportsWithItsTableNamed() throws Exception {
        byte[] export = Files.readAllBytes(
                SharedCorpus.samples().resolve("linux-audit-sentinel-sample-data/LinuxAudit_CL.json"));
        TestingClock clock = new TestingClock(Instant.parse("2026-11-25T12:00:00Z"));
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, new Metrics())) {
            TableSchema table = store.ensureCustomTable(CustomTableInference.infer("LinuxAudit_CL", export));
            assertThat(table.column("time").orElseThrow().type()).isEqualTo(ColumnType.DATETIME);
            assertThat(table.column("seq").orElseThrow().type()).isEqualTo(ColumnType.LONG);
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, new Metrics());
            IngestResult result = pipeline.ingest(
                    "test", "LinuxAudit_CL.json", export, Optional.of(JsonTableFormat.forTable("LinuxAudit_CL")));
            assertThat(result.deadLettersByReason()).isEmpty();
            assertThat(result.rowsByTable()).containsEntry("LinuxAudit_CL", 11L);
        }
    }

    /** The corpus also holds documentation, licence notes and Sigma test metadata next to the logs. */
    private static boolean isLogSample(Path file) {
        String name = file.getFileName().toString();
        return !name.equalsIgnoreCase("ReadMe.md") && !name.equals("info.yml") && !name.equals("LICENSE");
    }
}
