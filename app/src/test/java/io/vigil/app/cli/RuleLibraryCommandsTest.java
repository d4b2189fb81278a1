package io.vigil.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.spi.Row;
import io.vigil.testing.SharedCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil rules import|list|show|enable|disable|backtest} on a real workspace. */
class RuleLibraryCommandsTest {
    private static final String CLEARED = """
            id: 7d1e0c55-0000-4000-8000-000000001102
            name: Audit log cleared
            description: Event 1102.
            severity: High
            queryFrequency: 1h
            queryPeriod: 1h
            triggerOperator: gt
            triggerThreshold: 0
            query: SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer
            entityMappings:
              - entityType: Host
                fieldMappings:
                  - identifier: HostName
                    columnName: Computer
            eventGroupingSettings:
              aggregationKind: AlertPerResult
            """;
    private static final String BROKEN = """
            id: 7d1e0c55-0000-4000-8000-00000000dead
            name: Broken rule
            description: Its query names a table Vigil does not have.
            severity: Low
            queryFrequency: 1h
            queryPeriod: 1h
            triggerOperator: gt
            triggerThreshold: 0
            query: NoSuchTable | where x == 1
            """;
    private static final Pattern SUMMARY = Pattern.compile("imported (\\d+) rules: (\\d+) enabled, (\\d+) disabled");

    @TempDir
    Path dataDir;

    @TempDir
    Path rules;

    @Test
    void importsStoresDisablesWhatDoesNotCompileAndTogglesRules() throws Exception {
        Files.writeString(rules.resolve("cleared.yaml"), CLEARED, UTF_8);
        Files.writeString(rules.resolve("broken.yaml"), BROKEN, UTF_8);
        CliRun imported = CliRun.run("rules", "import", "--data", dataDir.toString(), rules.toString());
        assertThat(imported.exit()).isEqualTo(1);
        assertThat(imported.outLines()).hasSize(2);
        assertThat(imported.outLines().get(0))
                .startsWith("FAIL ")
                .contains("broken.yaml", "Broken rule", "NoSuchTable");
        assertThat(imported.outLines().get(1)).isEqualTo("imported 2 rules: 1 enabled, 1 disabled");

        assertThat(CliRun.run("rules", "list", "--data", dataDir.toString()).successLines())
                .containsExactly(
                        "7d1e0c55-0000-4000-8000-000000001102\tenabled\tScheduled\tHigh\tAudit log cleared",
                        "7d1e0c55-0000-4000-8000-00000000dead\tdisabled\tScheduled\tLow\tBroken rule");
        CliRun.run("rules", "disable", "--data", dataDir.toString(), "Audit log cleared")
                .successLines();
        assertThat(CliRun.run("rules", "show", "--data", dataDir.toString(), "7d1e0c55-0000-4000-8000-000000001102")
                        .successLines())
                .contains("state: disabled", "SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer");
        assertThat(CliRun.run("rules", "enable", "--data", dataDir.toString(), "nothing-like-it")
                        .exit())
                .isEqualTo(2);
        // a rule whose query does not compile is not enabled by hand either
        CliRun enableBroken = CliRun.run("rules", "enable", "--data", dataDir.toString(), "Broken rule");
        assertThat(enableBroken.exit()).isEqualTo(1);
        assertThat(enableBroken.err()).contains("does not compile", "NoSuchTable");
        assertThat(CliRun.run("rules", "enable", "--data", dataDir.toString(), "Audit log cleared")
                        .successLines())
                .containsExactly("enabled Audit log cleared");
        assertThat(CliRun.run("rules", "list", "--data", dataDir.toString()).successLines())
                .containsExactly(
                        "7d1e0c55-0000-4000-8000-000000001102\tenabled\tScheduled\tHigh\tAudit log cleared",
                        "7d1e0c55-0000-4000-8000-00000000dead\tdisabled\tScheduled\tLow\tBroken rule");
    }

    @Test
    void backtestReplaysStoredHistoryWindowByWindowWithoutWritingAlerts() throws Exception {
        Files.writeString(rules.resolve("cleared.yaml"), CLEARED, UTF_8);
        assertThat(CliRun.run("rules", "import", "--data", dataDir.toString(), rules.toString())
                        .successLines())
                .containsExactly("imported 1 rules: 1 enabled, 0 disabled");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            List<Row> rows = List.of(
                    cleared(runtime, hour.plus(Duration.ofMinutes(10)), "dc01"),
                    cleared(runtime, hour.plus(Duration.ofMinutes(20)), "dc02"),
                    cleared(runtime, hour.plus(Duration.ofMinutes(70)), "dc03"));
            runtime.store().write(rows).get(30, TimeUnit.SECONDS);
        }
        CliRun run = CliRun.run(
                "rules",
                "backtest",
                "--data",
                dataDir.toString(),
                "Audit log cleared",
                "--from",
                hour.toString(),
                "--to",
                hour.plus(Duration.ofHours(3)).toString());
        List<String> lines = run.successLines();
        assertThat(lines)
                .contains(
                        "window " + hour.plus(Duration.ofHours(1)) + ": 2 alerts",
                        "window " + hour.plus(Duration.ofHours(2)) + ": 1 alerts",
                        "backtest: 2 windows alerted, 3 alerts");
        assertThat(String.join("\n", lines)).contains("High Audit log cleared", "dc03");
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            assertThat(runtime.store().rowCounts().getOrDefault("SecurityAlert", 0L))
                    .isZero();
        }
    }

    @Test
    void theSentinelDevCorpusImportsAndEveryRuleIsCounted() {
        Path corpus = SharedCorpus.rules().resolve("sentinel-dev");
        CliRun run = CliRun.run("rules", "import", "--data", dataDir.toString(), corpus.toString());
        String summary = run.outLines().get(run.outLines().size() - 1);
        Matcher matcher = SUMMARY.matcher(summary);
        assertThat(matcher.matches()).as(summary).isTrue();
        int total = Integer.parseInt(matcher.group(1));
        int enabled = Integer.parseInt(matcher.group(2));
        assertThat(total).isEqualTo(enabled + Integer.parseInt(matcher.group(3)));
        // 118 analytic rules read into the model (SentinelCorpusRulesTest); hunting queries are not imported
        assertThat(total).isEqualTo(118);
        System.out.println("sentinel-dev import: " + summary);
        assertThat(CliRun.run("rules", "list", "--data", dataDir.toString()).successLines())
                .hasSize(total);
    }

    @Test
    void theSigmaDevCorpusImportsAsScheduledRulesAndWhatDoesNotConvertIsReported() throws IOException {
        Path corpus = SharedCorpus.rules().resolve("sigma-dev");
        CliRun run = CliRun.run("rules", "import", "--data", dataDir.toString(), corpus.toString());
        List<String> lines = run.outLines();
        String summary = lines.get(lines.size() - 1);
        Matcher matcher = SUMMARY.matcher(summary);
        assertThat(matcher.matches()).as(summary).isTrue();
        int imported = Integer.parseInt(matcher.group(1));
        List<String> failures = lines.subList(0, lines.size() - 1);
        System.out.println(
                "sigma-dev import: " + imported + " imported, " + failures.size() + " failed (" + summary + ")");
        failures.forEach(line -> System.out.println("  " + line));
        // every Sigma rule is either imported or reported once with the reason it does not convert
        assertThat(imported + failures.size()).isEqualTo(99);
        assertThat(failures)
                .allSatisfy(line ->
                        assertThat(line).startsWith("FAIL ").containsPattern("sigma unmappable_|sigma unsupported_"));
        // as many as 'vigil sigma convert' converts (SigmaCorpusTest), all compiling, so all enabled
        assertThat(imported).isGreaterThanOrEqualTo(80);
        assertThat(Integer.parseInt(matcher.group(2))).isEqualTo(imported);
        assertThat(run.exit()).isEqualTo(failures.isEmpty() ? 0 : 1);
        assertThat(CliRun.run("rules", "list", "--data", dataDir.toString()).successLines())
                .hasSize(imported);

        // level, tags and the default schedule of one imported rule
        List<String> shown = CliRun.run(
                        "rules", "show", "--data", dataDir.toString(), "c4ff1eac-84ad-44dd-a6fb-d56a92fc43a9")
                .successLines();
        assertThat(shown)
                .contains(
                        "name: ProcessHacker Privilege Elevation",
                        "state: enabled",
                        "kind: Scheduled",
                        "severity: High",
                        "queryFrequency: PT5M",
                        "queryPeriod: PT5M",
                        "trigger: GreaterThan 0");
        assertThat(String.join("\n", shown)).contains("Event", "System");
        AnalyticRule rule = new RuleLibrary(dataDir)
                .find("c4ff1eac-84ad-44dd-a6fb-d56a92fc43a9")
                .orElseThrow()
                .rule();
        assertThat(rule.tactics()).containsExactly("Persistence", "Execution", "PrivilegeEscalation");
        assertThat(rule.relevantTechniques()).containsExactly("T1543.003", "T1569.002");

        // importing again replaces each rule by its id
        CliRun.run("rules", "import", "--data", dataDir.toString(), corpus.toString());
        assertThat(CliRun.run("rules", "list", "--data", dataDir.toString()).successLines())
                .hasSize(imported);
    }

    @Test
    void requiredDataConnectorsWhoseTablesAreEmptyAreWarnedAtImportAndInListAndShow() throws Exception {
        Files.writeString(
                rules.resolve("needs-data.yaml"),
                CLEARED.replace("id: 7d1e0c55-0000-4000-8000-000000001102", "id: 7d1e0c55-0000-4000-8000-0000000da7a0")
                        + """
                        requiredDataConnectors:
                          - connectorId: SecurityEvents
                            dataTypes:
                              - SecurityEvent
                          - connectorId: Custom
                            dataTypes:
                              - NoSuchTable_CL (Custom)
                        """,
                UTF_8);
        CliRun imported = CliRun.run("rules", "import", "--data", dataDir.toString(), rules.toString());
        // a warning, not a failure: the rule is stored enabled and the exit code is 0
        assertThat(imported.successLines())
                .containsExactly(
                        "WARN " + rules.resolve("needs-data.yaml")
                                + ": Audit log cleared: requiredDataConnectors: table"
                                + " SecurityEvent (connector SecurityEvents) has no rows; the rule cannot fire until"
                                + " it does",
                        "WARN " + rules.resolve("needs-data.yaml") + ": Audit log cleared: requiredDataConnectors:"
                                + " NoSuchTable_CL (connector Custom) is not a table of this workspace",
                        "imported 1 rules: 1 enabled, 0 disabled");
        assertThat(CliRun.run("rules", "show", "--data", dataDir.toString(), "Audit log cleared")
                        .successLines())
                .contains("warning: requiredDataConnectors: table SecurityEvent (connector SecurityEvents) has no"
                        + " rows; the rule cannot fire until it does");

        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            runtime.store()
                    .write(List.of(cleared(runtime, Instant.now(), "dc01")))
                    .get(30, TimeUnit.SECONDS);
        }
        CliRun list = CliRun.run("rules", "list", "--data", dataDir.toString());
        assertThat(list.successLines()).hasSize(1);
        // SecurityEvent has rows now; the table that does not exist is still named
        assertThat(list.errLines())
                .containsExactly("vigil: warning: 7d1e0c55-0000-4000-8000-0000000da7a0: requiredDataConnectors:"
                        + " NoSuchTable_CL (connector Custom) is not a table of this workspace");
        assertThat(CliRun.run("rules", "show", "--data", dataDir.toString(), "Audit log cleared")
                        .successLines())
                .noneMatch(line -> line.contains("SecurityEvent (connector"));
    }

    private static Row cleared(VigilRuntime runtime, Instant time, String computer) {
        return runtime.store()
                .catalog()
                .require("SecurityEvent")
                .newRow()
                .set("TimeGenerated", time)
                .set("EventID", 1102)
                .set("Computer", computer)
                .build();
    }
}
