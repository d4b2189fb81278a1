package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.IncidentFixture;
import io.vigil.app.VigilRuntime;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil alerts list} and {@code vigil incidents list|show|update} on alerts the scheduler raised. */
class IncidentsCommandTest {
    private static final AnalyticRule RULE = ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", """
                    id: 7d1e0c55-0000-4000-8000-00000000c1ea
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
                    """)).rule();

    @TempDir
    Path dataDir;

    @Test
    void listsAlertsAndWorksAnIncidentWithEveryChangeANewRow() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            IncidentFixture.raiseIncident(runtime, RULE);
        }
        String data = dataDir.toString();
        assertThat(CliRun.run("alerts", "list", "--data", data).successLines())
                .singleElement()
                .satisfies(line -> assertThat(line).contains("\tHigh\tAudit log cleared\tdc01\t"));
        assertThat(CliRun.run("incidents", "list", "--data", data).successLines())
                .containsExactly("1\tNew\tHigh\t1 alerts\t-\tAudit log cleared");

        CliRun.run("incidents", "update", "--data", data, "1", "--owner", "soc@contoso.com", "--status", "Active")
                .successLines();
        CliRun.run(
                        "incidents",
                        "update",
                        "--data",
                        data,
                        "1",
                        "--status",
                        "Closed",
                        "--classification",
                        "TruePositive",
                        "--reason",
                        "SuspiciousActivity",
                        "--comment",
                        "log cleared by the intruder")
                .successLines();
        assertThat(CliRun.run("incidents", "show", "--data", data, "1").successLines())
                .contains(
                        "status: Closed",
                        "owner: soc@contoso.com",
                        "classification: TruePositive (SuspiciousActivity)",
                        "comment: log cleared by the intruder");
        assertThat(CliRun.run("incidents", "update", "--data", data, "1", "--status", "Done")
                        .exit())
                .isEqualTo(2);
        CliRun rows = CliRun.run("query", "--data", data, "SecurityIncident | summarize count() by IncidentNumber");
        assertThat(rows.out()).contains("3");
    }
}
