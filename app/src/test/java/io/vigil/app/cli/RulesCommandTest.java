package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.app.VigilServer;
import io.vigil.app.http.ApiKeys;
import io.vigil.testing.SharedCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil rules check} on small rule folders and on the Sentinel dev corpus. */
class RulesCommandTest {
    private static final Pattern SUMMARY = Pattern.compile("checked (\\d+) rules: (\\d+) ok, (\\d+) failed");

    @TempDir
    Path dataDir;

    @TempDir
    Path rulesDir;

    @BeforeEach
    void createWorkspace() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            runtime.pipeline()
                    .ingest(
                            "test",
                            "inline",
                            "[{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"vm\"}]"
                                    .getBytes(StandardCharsets.UTF_8),
                            java.util.Optional.empty());
        }
    }

    private void writeTwoRules() throws Exception {
        Files.writeString(rulesDir.resolve("good.yaml"), """
                id: 1
                name: Heartbeats per computer
                queryPeriod: 1d
                query: |
                  Heartbeat
                  | summarize count() by Computer
                """);
        Files.createDirectories(rulesDir.resolve("nested"));
        Files.writeString(rulesDir.resolve("nested/bad.yaml"), """
                id: 2
                name: Unknown column
                query: |
                  Heartbeat
                  | where NoSuchColumn == 1
                """);
        // not a rule: no query
        Files.writeString(rulesDir.resolve("other.yaml"), "name: not a rule\n");
    }

    @Test
    void reportsTheFailingRuleAndTheSummary() throws Exception {
        writeTwoRules();
        CliRun run = CliRun.run("rules", "check", "--data", dataDir.toString(), rulesDir.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.outLines()).hasSize(2);
        assertThat(run.outLines().get(0))
                .matches("FAIL nested/bad\\.yaml: KQL\\d+ .*'NoSuchColumn'.* \\(line 2, col 9\\)");
        assertThat(run.outLines().get(1)).isEqualTo("checked 2 rules: 1 ok, 1 failed");
    }

    @Test
    void checkedRulesAreRecordedInLaQueryLogs() throws Exception {
        writeTwoRules();
        CliRun run = CliRun.run("rules", "check", "--data", dataDir.toString(), rulesDir.toString());
        assertThat(run.exit()).isEqualTo(1);

        // text, client and response code; the row count of the good rule depends on today's date (queryPeriod 1d)
        List<List<Object>> logged =
                QueryLogs.read(dataDir).stream().map(row -> row.subList(0, 3)).toList();
        assertThat(logged)
                .containsExactlyInAnyOrder(
                        List.of("Heartbeat\n| summarize count() by Computer\n", "vigil", 200),
                        List.of("Heartbeat\n| where NoSuchColumn == 1\n", "vigil", 400));
    }

    @Test
    void passingRulesExitZero() throws Exception {
        writeTwoRules();
        CliRun run = CliRun.run(
                "rules",
                "check",
                "--data",
                dataDir.toString(),
                rulesDir.resolve("good.yaml").toString());
        assertThat(run.exit()).isZero();
        assertThat(run.outLines()).containsExactly("checked 1 rules: 1 ok, 0 failed");
    }

    @Test
    void invalidYamlFailsAndItsQueryIsCutOutByHand() throws Exception {
        Files.writeString(rulesDir.resolve("broken.yaml"), """
                id: 3
                query: |
                  Heartbeat
                  | take 1
                entityMappings:
                  - entityType: Host
                 fieldMappings: [
                """);
        CliRun run = CliRun.run("rules", "check", "--data", dataDir.toString(), rulesDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.outLines().get(0))
                .startsWith("FAIL broken.yaml: invalid_yaml ")
                .endsWith("; query cut out of its 'query: |' block by hand: ok");
        assertThat(run.outLines().get(1)).isEqualTo("checked 1 rules: 0 ok, 1 failed");
    }

    @Test
    void aQueryWithSeveralProblemsShowsTheFirstAndCountsTheRest() throws Exception {
        Files.writeString(rulesDir.resolve("typos.yaml"), """
                id: 4
                name: Two typos
                query: |
                  Heartbeat
                  | wher Computer == "vm"
                  | projec Computer
                """);
        CliRun run = CliRun.run("rules", "check", "--data", dataDir.toString(), rulesDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.outLines().get(0))
                .matches("FAIL typos\\.yaml: KQL\\d+ .*'wher'.* \\(line 2, col 3\\) \\[\\+1 more\\]");
        assertThat(run.outLines().get(1)).isEqualTo("checked 1 rules: 0 ok, 1 failed");
    }

    @Test
    void missingPathIsAUsageError() {
        CliRun run = CliRun.run(
                "rules",
                "check",
                "--data",
                dataDir.toString(),
                rulesDir.resolve("nope").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("nope");
    }

    @Test
    void checksRulesOnTheServer() throws Exception {
        writeTwoRules();
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            try (VigilServer server = VigilServer.builder(runtime, keys).build()) {
                server.start();
                CliRun run = CliRun.run(
                        "rules",
                        "check",
                        "--server",
                        "http://127.0.0.1:" + server.port(),
                        "--data",
                        dataDir.toString(),
                        rulesDir.toString());
                assertThat(run.exit()).isEqualTo(1);
                assertThat(run.outLines().get(0))
                        .matches("FAIL nested/bad\\.yaml: KQL\\d+ .*'NoSuchColumn'.* \\(line 2, col 9\\)");
                assertThat(run.outLines().get(1)).isEqualTo("checked 2 rules: 1 ok, 1 failed");
            }
        }
    }

    @Test
    void checksEveryRuleOfTheSentinelCorpus() throws Exception {
        Path corpus = SharedCorpus.rules().resolve("sentinel-dev");
        CliRun run = CliRun.run("rules", "check", "--data", dataDir.toString(), corpus.toString());
        assertThat(run.err()).isEmpty();
        List<String> lines = run.outLines();
        Matcher summary = SUMMARY.matcher(lines.get(lines.size() - 1));
        assertThat(summary.matches()).as(lines.get(lines.size() - 1)).isTrue();
        int checked = Integer.parseInt(summary.group(1));
        int ok = Integer.parseInt(summary.group(2));
        int failed = Integer.parseInt(summary.group(3));
        assertThat(checked).isEqualTo(yamlFilesWithAQuery(corpus));
        assertThat(ok + failed).isEqualTo(checked);
        assertThat(lines).hasSize(failed + 1);
        assertThat(lines.subList(0, failed)).allMatch(line -> line.matches("FAIL \\S.*\\.yaml: \\S+ .*"));
        // the one upstream file that is not valid YAML fails as such, with its query checked anyway
        assertThat(lines).anyMatch(line -> line.contains(": invalid_yaml ") && line.contains("by hand: "));
        if (failed > 0) {
            assertThat(run.exit()).isEqualTo(1);
        } else {
            assertThat(run.exit()).isZero();
        }
    }

    /** Counted on the raw text, independently of the command's YAML loading. */
    private static long yamlFilesWithAQuery(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> path.toString().endsWith(".yaml"))
                    .filter(path -> {
                        try {
                            return Files.readString(path, StandardCharsets.UTF_8)
                                    .replace("\uFEFF", "")
                                    .lines()
                                    .anyMatch(line -> line.startsWith("query:"));
                        } catch (java.io.IOException exception) {
                            throw new java.io.UncheckedIOException(exception);
                        }
                    })
                    .count();
        }
    }
}
