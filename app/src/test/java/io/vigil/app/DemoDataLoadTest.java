package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.LogFormats;
import io.vigil.generator.DemoGenerator;
import io.vigil.generator.GeneratorOptions;
import io.vigil.ingest.FileImporter;
import io.vigil.ingest.ImportSummary;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's native files go through format detection, parsing and the store with no dead
 * letter, and every seed log type lands in its tables.
 */
class DemoDataLoadTest {
    private static final Instant END = Instant.parse("2026-11-25T12:00:00Z");

    /** One table per seed log type (DESIGN.md §2) that the demo data must fill. */
    private static final Map<String, String> TABLE_BY_SEED_TYPE = Map.of(
            "activity log", "AzureActivity",
            "resource logs", "AzureDiagnostics",
            "entra id", "SigninLogs",
            "windows event log", "SecurityEvent",
            "linux syslog", "Syslog",
            "storage analytics", "StorageBlobLogs",
            "nsg flow logs", "AzureNetworkAnalytics_CL",
            "application insights", "AppRequests",
            "security alerts", "SecurityAlert");

    @TempDir
    Path temp;

    @Test
    void generatedDemoDataLoadsWithoutDeadLetters() throws Exception {
        Path logs = temp.resolve("logs");
        DemoGenerator.generate(logs, new GeneratorOptions(END, 3, 42, 0.1));
        TestingClock clock = new TestingClock(END);
        try (DuckDbStore store = DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, clock, new Metrics())) {
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, new Metrics());
            ImportSummary summary =
                    new FileImporter(pipeline, Optional.empty(), Optional.empty()).importPaths(List.of(logs));

            assertThat(summary.deadLettersByReason()).as(summary.render()).isEmpty();
            Map<String, Long> counts = store.rowCounts();
            TABLE_BY_SEED_TYPE.forEach((seedType, table) -> assertThat(counts.get(table))
                    .as("%s rows in %s", seedType, table)
                    .isPositive());
            assertThat(counts).containsEntry("VigilDeadLetter", 0L);
            assertThat(counts.get("SecurityEvent") + counts.get("Event")).isPositive();
            assertThat(counts.get("CommonSecurityLog")).isPositive();
            assertThat(counts.get("AuditLogs")).isPositive();
        }
    }
}
