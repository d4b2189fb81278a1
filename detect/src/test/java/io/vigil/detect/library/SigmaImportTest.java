package io.vigil.detect.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleKind;
import io.vigil.detect.rule.Severity;
import io.vigil.engine.KqlEngine;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sigma files imported into the rule library by content, next to Sentinel rule YAML. */
class SigmaImportTest {
    private static final String CORRELATION = """
            title: Many failed logons
            id: 0e95725d-7320-415d-80f7-004da920fc11
            description: Ten failed logons of one account.
            level: critical
            tags:
                - attack.credential_access
                - attack.t1110
                - attack.g0016
            correlation:
                type: event_count
                rules:
                    - failed_logon
                group-by:
                    - TargetUserName
                timespan: 90s
                condition:
                    gte: 10
            %s
            ---
            title: Failed logon
            id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
            name: failed_logon
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID: 4625
                condition: selection
            """;
    private static final String SENTINEL = """
            id: 7d1e0c55-0000-4000-8000-000000001102
            name: Audit log cleared
            severity: High
            queryFrequency: 1h
            queryPeriod: 1h
            triggerOperator: gt
            triggerThreshold: 0
            query: SecurityEvent | where EventID == 1102
            """;
    private static final String NO_ID = """
            title: Security log cleared
            level: informational
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID: 1102
                condition: selection
            """;
    private static final String BAD_LEVEL = """
            title: Urgent thing
            id: 11111111-2222-4333-8444-555555555555
            level: urgent
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID: 1102
                condition: selection
            """;

    @TempDir
    Path dataDir;

    @Test
    void sigmaAndSentinelFilesImportByContent() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            KqlEngine engine = KqlEngine.builder(store).build();
            RuleLibrary library = new RuleLibrary(dataDir);
            List<RuleLibrary.Imported> imported = library.importTexts(
                    List.of(
                            Map.entry("correlation.yml", CORRELATION.formatted("")),
                            Map.entry("cleared.yaml", SENTINEL),
                            Map.entry("no-id.yml", NO_ID),
                            Map.entry("bad-level.yml", BAD_LEVEL)),
                    engine,
                    Instant.now());
            assertThat(imported)
                    .extracting(RuleLibrary.Imported::name)
                    .containsExactly("Audit log cleared", "Many failed logons", "Security log cleared", "Urgent thing");
            assertThat(imported.get(3).rule()).isEmpty();
            assertThat(imported.get(3).problems()).singleElement().asString().contains("level 'urgent'");

            // the correlation is one rule; the rule it counts is a part of it (generate is false by default)
            AnalyticRule correlation = library.byId("0e95725d-7320-415d-80f7-004da920fc11")
                    .orElseThrow()
                    .rule();
            assertThat(library.byId("53ba33fd-3a50-4468-a5ef-c583635cfa92")).isEmpty();
            assertThat(correlation.kind()).isEqualTo(RuleKind.SCHEDULED);
            assertThat(correlation.severity()).isEqualTo(Severity.HIGH);
            assertThat(correlation.tactics()).containsExactly("CredentialAccess");
            assertThat(correlation.relevantTechniques()).containsExactly("T1110");
            // whole 90-second bins in each window: the smallest multiple of 90 s that is at least 5 minutes
            assertThat(correlation.queryFrequency()).isEqualTo(Duration.ofMinutes(6));
            assertThat(correlation.queryPeriod()).isEqualTo(Duration.ofMinutes(6));
            assertThat(correlation.query()).contains("SecurityEvent", "4625", "TargetUserName", "count");
            assertThat(correlation.description()).isEqualTo("Ten failed logons of one account.");

            AnalyticRule noId =
                    library.find("Security log cleared").orElseThrow().rule();
            assertThat(noId.severity()).isEqualTo(Severity.INFORMATIONAL);
            assertThat(noId.queryFrequency()).isEqualTo(Duration.ofMinutes(5));
            assertThat(noId.id()).matches("[0-9a-f-]{36}");
            assertThat(library.rules()).hasSize(3);
            assertThat(library.enabledRules()).hasSize(3);

            // generate: true makes the referenced rule a rule of its own as well
            library.importTexts(
                    List.of(Map.entry("correlation.yml", CORRELATION.formatted("generate: true"))),
                    engine,
                    Instant.now());
            assertThat(library.byId("53ba33fd-3a50-4468-a5ef-c583635cfa92")).isPresent();
            // the id of a rule without one is stable: importing again replaces it
            library.importTexts(List.of(Map.entry("no-id.yml", NO_ID)), engine, Instant.now());
            assertThat(library.rules()).hasSize(4);
        }
    }

    @Test
    void correlationScheduleHoldsWholeBins() {
        assertThat(SigmaAnalyticRules.correlationSchedule(Duration.ofMinutes(10)))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(SigmaAnalyticRules.correlationSchedule(Duration.ofMinutes(5)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(SigmaAnalyticRules.correlationSchedule(Duration.ofMinutes(2)))
                .isEqualTo(Duration.ofMinutes(6));
        assertThat(SigmaAnalyticRules.correlationSchedule(Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(SigmaAnalyticRules.correlationSchedule(Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }
}
