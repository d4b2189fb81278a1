package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.cli.CliRun;
import io.vigil.app.http.ApiKeys;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.schedule.RuleScheduler;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil rules|alerts|incidents … --server URL} against a real running server (which holds the store),
 * through its REST API with an API key.
 */
class DetectionCommandsOverServerTest {
    private static final String RULE_ID = "7d1e0c55-0000-4000-8000-00000000c1eb";
    private static final String RULE = """
            id: 7d1e0c55-0000-4000-8000-00000000c1eb
            name: Audit log cleared
            description: Event 1102.
            severity: High
            queryFrequency: 5m
            queryPeriod: 1h
            triggerOperator: gt
            triggerThreshold: 0
            query: SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer
            entityMappings:
              - entityType: Host
                fieldMappings:
                  - identifier: HostName
                    columnName: Computer
            """;

    @TempDir
    Path dataDir;

    @TempDir
    Path keys;

    @Test
    void rulesAlertsAndIncidentsCommandsWorkThroughTheServer() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            IncidentFixture.writeAuditLogCleared(runtime);
            KqlEngine engine = KqlEngine.builder(runtime.store()).build();
            List<RuleLibrary.Imported> imported =
                    new RuleLibrary(dataDir).importFile("rule.yaml", RULE, engine, Instant.now());
            AnalyticRule rule = imported.get(0).rule().orElseThrow();
            new RuleScheduler(runtime.store(), engine, runtime.clock(), QueryLimits.DEFAULT).runDue(List.of(rule));
            Path readerKey = keys.resolve("reader.key");
            Files.writeString(readerKey, IncidentFixture.key(runtime, "analyst", ApiKeys.Role.READER), UTF_8);
            try (ServerCommand.Running running = IncidentFixture.serve(runtime)) {
                String server = IncidentFixture.baseUrl(running);
                String data = dataDir.toString();

                assertThat(cli("rules", "list", "--data", data, "--server", server))
                        .containsExactly(RULE_ID + "\tenabled\tScheduled\tHigh\tAudit log cleared");
                assertThat(cli("rules", "show", "--data", data, "--server", server, "Audit log cleared"))
                        .contains(
                                "id: " + RULE_ID,
                                "state: enabled",
                                "queryFrequency: PT5M",
                                "queryPeriod: PT1H",
                                "trigger: GreaterThan 0",
                                "SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer");
                assertThat(cli("rules", "disable", "--data", data, "--server", server, RULE_ID))
                        .containsExactly("disabled Audit log cleared");
                assertThat(cli("rules", "list", "--data", data, "--server", server))
                        .containsExactly(RULE_ID + "\tdisabled\tScheduled\tHigh\tAudit log cleared");
                // a reader may not change rules: the server's 403 is reported
                CliRun forbidden = CliRun.run(
                        "rules",
                        "enable",
                        "--data",
                        data,
                        "--server",
                        server,
                        "--key-file",
                        readerKey.toString(),
                        RULE_ID);
                assertThat(forbidden.exit()).isEqualTo(1);
                assertThat(forbidden.err()).contains("403", "contributor");
                assertThat(cli("rules", "enable", "--data", data, "--server", server, RULE_ID))
                        .containsExactly("enabled Audit log cleared");
                assertThat(CliRun.run("rules", "show", "--data", data, "--server", server, "no such rule")
                                .exit())
                        .isEqualTo(2);

                List<String> alerts = cli("alerts", "list", "--data", data, "--server", server);
                assertThat(alerts).singleElement().asString().contains("\tHigh\tAudit log cleared\tdc01\t");

                assertThat(cli(
                                "incidents",
                                "list",
                                "--data",
                                data,
                                "--server",
                                server,
                                "--key-file",
                                readerKey.toString()))
                        .containsExactly("1\tNew\tHigh\t1 alerts\t-\tAudit log cleared");
                assertThat(cli(
                                "incidents",
                                "update",
                                "--data",
                                data,
                                "--server",
                                server,
                                "1",
                                "--status",
                                "Active",
                                "--owner",
                                "soc@contoso.com",
                                "--comment",
                                "looking"))
                        .containsExactly("incident 1: Active");
                assertThat(cli("incidents", "comment", "--data", data, "--server", server, "1", "contained"))
                        .containsExactly("incident 1: comment added");
                String alertId = alerts.get(0).substring(alerts.get(0).lastIndexOf('\t') + 1);
                assertThat(cli("incidents", "show", "--data", data, "--server", server, "1"))
                        .contains(
                                "number: 1",
                                "title: Audit log cleared",
                                "status: Active",
                                "severity: High",
                                "owner: soc@contoso.com",
                                "rules: " + RULE_ID,
                                "alert: " + alertId,
                                "comment: looking",
                                "comment: contained");
                assertThat(CliRun.run("incidents", "show", "--data", data, "--server", server, "99")
                                .exit())
                        .isEqualTo(2);
                assertThat(CliRun.run("incidents", "list", "--data", data, "--server", "ftp://127.0.0.1")
                                .exit())
                        .isEqualTo(2);
            }
        }
    }

    private static List<String> cli(String... args) {
        return CliRun.run(args).successLines();
    }
}
