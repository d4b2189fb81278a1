package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.cli.CliRun;
import io.vigil.app.http.ApiKeys;
import io.vigil.app.query.QueryService;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.spi.RetentionRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every admin and responder action lands as one SentinelAudit row, with who, from where and the state before
 * and after: key create/rotate/revoke, DCR create, sink add/remove, rule import/enable/disable by the command
 * line (recorded while no process has the workspace open, stored when one opens it), incident updates and
 * comments over the Sentinel API (with the caller's address) and the command line, and retention deletions; the
 * rows are committed through the store, so the integrity chain covers them.
 */
@Timeout(240)
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARM = "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg"
            + "/providers/Microsoft.OperationalInsights/workspaces/default/providers/Microsoft.SecurityInsights/";
    private static final String RULE_YAML = """
            id: 5b0c7a1e-0000-4000-8000-0000000a0d17
            name: Audit log cleared (audit test)
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
    private static final String DCR = """
            {"properties": {
              "streamDeclarations": {"Custom-Notes": {"columns": [{"name": "Text", "type": "string"}]}},
              "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
              "dataFlows": [{"streams": ["Custom-Notes"], "destinations": ["vigil"], "transformKql": "source",
                             "outputStream": "Custom-Notes_CL"}]}}
            """;

    @TempDir
    Path temp;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everyActionLandsAsOneAuditRow() throws Exception {
        Path data = temp.resolve("ws");
        String dir = data.toString();
        // command-line actions, no process holding the workspace
        CliRun.run("keys", "create", "--data", dir, "--principal", "idp-team", "--tables", "AuditLogs")
                .successLines();
        CliRun.run("keys", "rotate", "--data", dir, "idp-team").successLines();
        CliRun.run("keys", "revoke", "--data", dir, "idp-team").successLines();
        String dcr = CliRun.run(
                        "dcr",
                        "create",
                        "--data",
                        dir,
                        Files.writeString(temp.resolve("dcr.json"), DCR, UTF_8).toString())
                .successLines()
                .getFirst();
        CliRun.run(
                        "sinks",
                        "add",
                        "--data",
                        dir,
                        "--name",
                        "siem",
                        "--type",
                        "syslog_cef",
                        "--endpoint",
                        "127.0.0.1:6514",
                        "--route",
                        "alerts")
                .successLines();
        CliRun.run("sinks", "remove", "--data", dir, "siem").successLines();
        Path ruleFile = Files.writeString(temp.resolve("rule.yaml"), RULE_YAML, UTF_8);
        CliRun.run("rules", "import", "--data", dir, ruleFile.toString()).successLines();
        CliRun.run("rules", "enable", "--data", dir, "5b0c7a1e-0000-4000-8000-0000000a0d17")
                .successLines();
        // disabled last, so the server below does not raise incidents of its own from it
        CliRun.run("rules", "disable", "--data", dir, "5b0c7a1e-0000-4000-8000-0000000a0d17")
                .successLines();

        // responder actions over HTTP, and a retention pass
        try (VigilRuntime runtime = VigilRuntime.open(data)) {
            AnalyticRule rule = ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", RULE_YAML)).rule();
            IncidentFixture.raiseIncident(runtime, rule);
            String responder = IncidentFixture.key(runtime, "oncall", ApiKeys.Role.RESPONDER);
            String contributor = IncidentFixture.key(runtime, "detections", ApiKeys.Role.CONTRIBUTOR);
            try (ServerCommand.Running running = IncidentFixture.serve(runtime)) {
                String base = IncidentFixture.baseUrl(running) + ARM;
                JsonNode list = JSON.readTree(send("GET", base + "incidents?api-version=2023-02-01", responder, null)
                        .body());
                String name = list.path("value").get(0).path("name").asText();
                assertThat(send(
                                        "PUT",
                                        base + "incidents/" + name + "?api-version=2023-02-01",
                                        responder,
                                        "{\"properties\":{\"status\":\"Active\",\"owner\":{\"assignedTo\":\"kim\"}}}")
                                .statusCode())
                        .isEqualTo(200);
                assertThat(send(
                                        "PUT",
                                        base + "incidents/" + name + "/comments/c1?api-version=2023-02-01",
                                        responder,
                                        "{\"properties\":{\"message\":\"looking\"}}")
                                .statusCode())
                        .isEqualTo(201);
                // a contributor's rule written and removed through Sentinel's API
                String ruleUrl = base + "alertRules/6a1d0c00-0000-4000-8000-00000000a0d1?api-version=2023-02-01";
                assertThat(send(
                                        "PUT",
                                        ruleUrl,
                                        contributor,
                                        "{\"kind\":\"Scheduled\",\"properties\":{\"displayName\":\"Heartbeats\","
                                                + "\"severity\":\"Low\",\"enabled\":false,\"query\":\"Heartbeat\","
                                                + "\"queryFrequency\":\"PT1H\",\"queryPeriod\":\"PT1H\","
                                                + "\"triggerOperator\":\"GreaterThan\",\"triggerThreshold\":0}}")
                                .statusCode())
                        .isEqualTo(201);
                assertThat(send("DELETE", ruleUrl, contributor, null).statusCode())
                        .isEqualTo(200);
            }
            runtime.audit()
                    .recordRetention(new RetentionRun(
                            Instant.now(),
                            Map.of("Syslog", Instant.parse("2026-01-01T00:00:00Z")),
                            Map.of("Syslog", 12L, "Event", 0L)));
        }
        CliRun.run("incidents", "update", "--data", dir, "1", "--status", "Closed")
                .successLines();

        try (VigilRuntime runtime = VigilRuntime.open(data)) {
            QueryService queries = new QueryService(
                    runtime.store(), runtime.clock(), QueryService.DEFAULT_TIMEOUT, QueryService.DEFAULT_MAX_ROWS);
            List<List<Object>> rows = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rows.size() < 15 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                rows = queries.execute(
                                "SentinelAudit | sort by TimeGenerated asc | project OperationName,"
                                        + " SentinelResourceType, SentinelResourceName,"
                                        + " Caller = tostring(ExtendedProperties.CallerName),"
                                        + " Source = tostring(ExtendedProperties.CallerIpAddress),"
                                        + " Before = tostring(ExtendedProperties.OriginalResourceState),"
                                        + " After = tostring(ExtendedProperties.UpdatedResourceState)",
                                Optional.empty())
                        .rows();
            }
            Map<String, List<List<Object>>> byAction = new TreeMap<>();
            for (List<Object> row : rows) {
                byAction.computeIfAbsent((String) row.get(0), action -> new ArrayList<>())
                        .add(row);
            }
            assertThat(byAction.keySet())
                    .containsExactly(
                            "dcr.create",
                            "incidents.comment",
                            "incidents.update",
                            "keys.create",
                            "keys.revoke",
                            "keys.rotate",
                            "retention.delete",
                            "rules.create",
                            "rules.delete",
                            "rules.disable",
                            "rules.enable",
                            "rules.import",
                            "sinks.add",
                            "sinks.remove");
            // one row each, but incidents.update twice: once over HTTP, once from the command line
            byAction.forEach((action, actionRows) ->
                    assertThat(actionRows).as(action).hasSize(action.equals("incidents.update") ? 2 : 1));

            List<Object> created = byAction.get("keys.create").get(0);
            assertThat(created.subList(1, 3)).containsExactly("ApiKey", "idp-team");
            assertThat(created.get(4)).isEqualTo("cli");
            assertThat(created.get(5)).isEqualTo("");
            assertThat(JSON.readTree((String) created.get(6)).path("tables").toString())
                    .isEqualTo("[\"AuditLogs\"]");
            assertThat((String) created.get(6)).doesNotContain("sha256").doesNotContain("vgl_");
            List<Object> revoked = byAction.get("keys.revoke").get(0);
            assertThat(JSON.readTree((String) revoked.get(5)).path("role").asText())
                    .isEqualTo("reader");
            assertThat(revoked.get(6)).isEqualTo("");

            assertThat(byAction.get("dcr.create").get(0).get(2)).isEqualTo(dcr);
            assertThat(byAction.get("sinks.remove").get(0).get(5).toString()).contains("127.0.0.1:6514");
            assertThat(byAction.get("rules.disable").get(0).subList(1, 3))
                    .containsExactly("AlertRule", "5b0c7a1e-0000-4000-8000-0000000a0d17");
            assertThat(JSON.readTree(
                                    (String) byAction.get("rules.enable").get(0).get(6))
                            .path("enabled")
                            .asBoolean())
                    .isTrue();

            List<Object> ruleCreated = byAction.get("rules.create").get(0);
            assertThat(ruleCreated.subList(1, 5))
                    .containsExactly("AlertRule", "6a1d0c00-0000-4000-8000-00000000a0d1", "detections", "127.0.0.1");
            assertThat(JSON.readTree((String) ruleCreated.get(6)).path("query").asText())
                    .isEqualTo("Heartbeat");
            List<Object> ruleDeleted = byAction.get("rules.delete").get(0);
            assertThat(JSON.readTree((String) ruleDeleted.get(5)).path("name").asText())
                    .isEqualTo("Heartbeats");
            assertThat(ruleDeleted.get(6)).isEqualTo("");

            List<Object> httpUpdate = byAction.get("incidents.update").get(0);
            assertThat(httpUpdate.subList(1, 5)).containsExactly("Incident", "1", "oncall", "127.0.0.1");
            assertThat(JSON.readTree((String) httpUpdate.get(5)).path("status").asText())
                    .isEqualTo("New");
            assertThat(JSON.readTree((String) httpUpdate.get(6)).path("owner").asText())
                    .isEqualTo("kim");
            assertThat(byAction.get("incidents.comment").get(0).get(6).toString())
                    .contains("looking");
            List<Object> cliUpdate = byAction.get("incidents.update").get(1);
            assertThat(cliUpdate.get(4)).isEqualTo("cli");
            assertThat(JSON.readTree((String) cliUpdate.get(6)).path("status").asText())
                    .isEqualTo("Closed");

            List<Object> retention = byAction.get("retention.delete").get(0);
            assertThat(retention.subList(1, 5)).containsExactly("Table", "Syslog", "vigil", "system");
            assertThat(JSON.readTree((String) retention.get(5)).path("rows").asLong())
                    .isEqualTo(12);

            // the audit rows are chained like any other rows
            assertThat(runtime.integrity().orElseThrow().awaitCaughtUp(Duration.ofSeconds(60)))
                    .isTrue();
            try (Connection connection = runtime.store().newQueryConnection();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(
                            "SELECT sum(rows_hashed) FROM _vigil_integrity_chain WHERE kind = 'batch'"
                                    + " AND table_name = 'SentinelAudit'")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).isEqualTo(15);
            }
        }
        // the outbox was emptied once its rows committed
        assertThat(Files.size(data.resolve("audit").resolve("outbox.jsonl"))).isZero();
    }

    private HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (body != null) {
            publisher = HttpRequest.BodyPublishers.ofString(body);
        }
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .method(method, publisher)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
