package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.http.ApiKeys;
import io.vigil.detect.schedule.RuleStateLedger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel's AlertRules_CreateOrUpdate and AlertRules_Delete on a real server with a real HTTP client: the
 * request body of Sentinel's CreateScheduledAlertRule example, its response shape, the contributor role,
 * refused rules (fields, KQL diagnostics) that leave the library untouched, and the running detection
 * picking up a rule put and dropping a rule deleted.
 */
class AlertRulesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARM = "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg"
            + "/providers/Microsoft.OperationalInsights/workspaces/default/providers/Microsoft.SecurityInsights/";
    private static final String API_VERSION = "?api-version=2023-02-01";
    private static final String RULE_ID = "73e01a99-5cd7-4139-a149-9f2736ff2ab5";

    /**
     * Sentinel's CreateScheduledAlertRule example body (api-version 2023-02-01). The example nests
     * incidentConfiguration inside alertDetailsOverride, where the schema has no such property (its response
     * shows it at the level of properties); here it stands where the schema puts it.
     */
    private static final String EXAMPLE = """
            {
              "kind": "Scheduled",
              "etag": "\\"0300bf09-0000-0000-0000-5c37296e0000\\"",
              "properties": {
                "displayName": "My scheduled rule",
                "description": "An example for a scheduled rule",
                "severity": "High",
                "enabled": true,
                "tactics": ["Persistence", "LateralMovement"],
                "query": "Heartbeat",
                "queryFrequency": "PT1H",
                "queryPeriod": "P2DT1H30M",
                "triggerOperator": "GreaterThan",
                "triggerThreshold": 0,
                "suppressionDuration": "PT1H",
                "suppressionEnabled": false,
                "eventGroupingSettings": {"aggregationKind": "AlertPerResult"},
                "customDetails": {"OperatingSystemName": "OSName", "OperatingSystemType": "OSType"},
                "entityMappings": [
                  {"entityType": "Host", "fieldMappings": [{"identifier": "FullName", "columnName": "Computer"}]},
                  {"entityType": "IP", "fieldMappings": [{"identifier": "Address", "columnName": "ComputerIP"}]}
                ],
                "alertDetailsOverride": {
                  "alertDisplayNameFormat": "Alert from {{Computer}}",
                  "alertDescriptionFormat": "Suspicious activity was made by {{ComputerIP}}",
                  "alertDynamicProperties": [
                    {"alertProperty": "ProductComponentName", "value": "ProductComponentNameCustomColumn"},
                    {"alertProperty": "ProductName", "value": "ProductNameCustomColumn"},
                    {"alertProperty": "AlertLink", "value": "Link"}
                  ]
                },
                "incidentConfiguration": {
                  "createIncident": true,
                  "groupingConfiguration": {
                    "enabled": true,
                    "reopenClosedIncident": false,
                    "lookbackDuration": "PT5H",
                    "matchingMethod": "Selected",
                    "groupByEntities": ["Host"],
                    "groupByAlertDetails": ["DisplayName"],
                    "groupByCustomDetails": ["OperatingSystemType", "OperatingSystemName"]
                  }
                }
              }
            }
            """;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dataDir;

    @Test
    void scheduledRuleIsCreatedReplacedReadAndDeletedInSentinelsShapes() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            String contributor =
                    ApiKeys.create(runtime.workspace(), "content", ApiKeys.Role.CONTRIBUTOR, Clock.systemUTC());
            String responder = ApiKeys.create(runtime.workspace(), "oncall", ApiKeys.Role.RESPONDER, Clock.systemUTC());
            String reader = ApiKeys.create(runtime.workspace(), "analyst", ApiKeys.Role.READER, Clock.systemUTC());
            try (ServerCommand.Running running =
                    ServerCommand.start(runtime, ServeOptions.builder().build())) {
                createdReplacedReadAndDeleted(runtime, running, contributor, responder, reader);
            }
        }
    }

    private void createdReplacedReadAndDeleted(
            VigilRuntime runtime, ServerCommand.Running running, String contributor, String responder, String reader)
            throws Exception {
        {
            String base = "http://127.0.0.1:" + running.server().port();
            String url = base + ARM + "alertRules/" + RULE_ID + API_VERSION;

            for (String key : List.of(reader, responder)) {
                HttpResponse<String> forbidden = send("PUT", url, key, EXAMPLE);
                assertThat(forbidden.statusCode()).isEqualTo(403);
                assertThat(forbidden.body()).contains("contributor");
                assertThat(send("DELETE", url, key, null).statusCode()).isEqualTo(403);
            }
            assertThat(send("GET", url, reader, null).statusCode()).isEqualTo(404);

            HttpResponse<String> created = send("PUT", url, contributor, EXAMPLE);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode rule = JSON.readTree(created.body());
            assertThat(rule.path("id").asText()).isEqualTo(ARM + "alertRules/" + RULE_ID);
            assertThat(rule.path("name").asText()).isEqualTo(RULE_ID);
            assertThat(rule.path("type").asText()).isEqualTo("Microsoft.SecurityInsights/alertRules");
            assertThat(rule.path("kind").asText()).isEqualTo("Scheduled");
            assertThat(rule.path("etag").asText()).isNotEmpty();
            JsonNode properties = rule.path("properties");
            assertThat(properties.path("displayName").asText()).isEqualTo("My scheduled rule");
            assertThat(properties.path("description").asText()).isEqualTo("An example for a scheduled rule");
            assertThat(properties.path("severity").asText()).isEqualTo("High");
            assertThat(properties.path("enabled").asBoolean()).isTrue();
            assertThat(properties.path("query").asText()).isEqualTo("Heartbeat");
            assertThat(properties.path("queryFrequency").asText()).isEqualTo("PT1H");
            assertThat(properties.path("queryPeriod").asText()).isEqualTo("P2DT1H30M");
            assertThat(properties.path("triggerOperator").asText()).isEqualTo("GreaterThan");
            assertThat(properties.path("triggerThreshold").asInt()).isZero();
            assertThat(properties.path("suppressionDuration").asText()).isEqualTo("PT1H");
            assertThat(properties.path("suppressionEnabled").asBoolean()).isFalse();
            assertThat(Instant.parse(properties.path("lastModifiedUtc").asText()))
                    .isBefore(Instant.now().plusSeconds(60));
            assertThat(properties.path("tactics").toString()).isEqualTo("[\"Persistence\",\"LateralMovement\"]");
            assertThat(properties
                            .path("eventGroupingSettings")
                            .path("aggregationKind")
                            .asText())
                    .isEqualTo("AlertPerResult");
            assertThat(properties.path("customDetails").toString())
                    .isEqualTo("{\"OperatingSystemName\":\"OSName\",\"OperatingSystemType\":\"OSType\"}");
            assertThat(properties.path("entityMappings").toString())
                    .isEqualTo("[{\"entityType\":\"Host\",\"fieldMappings\":[{\"identifier\":\"FullName\","
                            + "\"columnName\":\"Computer\"}]},{\"entityType\":\"IP\",\"fieldMappings\":"
                            + "[{\"identifier\":\"Address\",\"columnName\":\"ComputerIP\"}]}]");
            assertThat(properties
                            .path("alertDetailsOverride")
                            .path("alertDisplayNameFormat")
                            .asText())
                    .isEqualTo("Alert from {{Computer}}");
            JsonNode grouping = properties.path("incidentConfiguration").path("groupingConfiguration");
            assertThat(properties
                            .path("incidentConfiguration")
                            .path("createIncident")
                            .asBoolean())
                    .isTrue();
            assertThat(grouping.path("enabled").asBoolean()).isTrue();
            assertThat(grouping.path("lookbackDuration").asText()).isEqualTo("PT5H");
            assertThat(grouping.path("matchingMethod").asText()).isEqualTo("Selected");
            assertThat(grouping.path("groupByEntities").toString()).isEqualTo("[\"Host\"]");
            assertThat(grouping.path("groupByAlertDetails").toString()).isEqualTo("[\"DisplayName\"]");
            assertThat(grouping.path("groupByCustomDetails").toString())
                    .isEqualTo("[\"OperatingSystemType\",\"OperatingSystemName\"]");

            // GET answers what PUT answered (the short alias too), and the list holds it
            assertThat(JSON.readTree(send("GET", url, reader, null).body())).isEqualTo(rule);
            JsonNode viaAlias =
                    JSON.readTree(send("GET", base + "/v1/securityinsights/alertRules/" + RULE_ID, reader, null)
                            .body());
            assertThat(viaAlias.path("properties")).isEqualTo(properties);
            JsonNode list = JSON.readTree(send("GET", base + ARM + "alertRules" + API_VERSION, reader, null)
                    .body());
            assertThat(list.path("value")).hasSize(1);
            assertThat(send("GET", base + ARM + "alertRules" + API_VERSION + "&$top=1", reader, null)
                            .statusCode())
                    .isEqualTo(400);
            assertThat(list.path("value").get(0).path("name").asText()).isEqualTo(RULE_ID);

            // the same PUT again replaces: 200; a changed body is what GET answers afterwards
            ObjectNode changed = (ObjectNode) JSON.readTree(EXAMPLE);
            ((ObjectNode) changed.path("properties"))
                    .put("severity", "Low")
                    .put("enabled", false)
                    .put("triggerOperator", "LessThan")
                    .put("triggerThreshold", 3);
            HttpResponse<String> replaced = send("PUT", url, contributor, changed.toString());
            assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
            JsonNode reread =
                    JSON.readTree(send("GET", url, reader, null).body()).path("properties");
            assertThat(reread.path("severity").asText()).isEqualTo("Low");
            assertThat(reread.path("enabled").asBoolean()).isFalse();
            assertThat(reread.path("triggerOperator").asText()).isEqualTo("LessThan");
            assertThat(reread.path("triggerThreshold").asInt()).isEqualTo(3);

            // a query that does not compile: 400 with the KQL diagnostics, and the stored rule stays as it was
            ObjectNode broken = (ObjectNode) JSON.readTree(EXAMPLE);
            ((ObjectNode) broken.path("properties")).put("query", "Heartbeat\n| where NoSuchColumn == 1");
            HttpResponse<String> refused = send("PUT", url, contributor, broken.toString());
            assertThat(refused.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(refused.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("BadRequest");
            assertThat(error.path("message").asText())
                    .contains("does not compile")
                    .contains("NoSuchColumn");
            JsonNode detail = error.path("details").get(0);
            assertThat(detail.path("code").asText()).startsWith("KQL");
            assertThat(detail.path("message").asText()).contains("NoSuchColumn");
            assertThat(detail.path("target").asText()).isEqualTo("properties.query");
            assertThat(detail.path("additionalProperties").path("line").asInt()).isEqualTo(2);
            assertThat(detail.path("additionalProperties").path("pos").asInt()).isEqualTo(9);
            assertThat(JSON.readTree(send("GET", url, reader, null).body())
                            .path("properties")
                            .path("query")
                            .asText())
                    .isEqualTo("Heartbeat");

            // invalid fields: every problem named by its REST property, nothing stored
            String otherUrl = base + ARM + "alertRules/second-rule" + API_VERSION;
            ObjectNode invalid = (ObjectNode) JSON.readTree(EXAMPLE);
            ((ObjectNode) invalid.path("properties"))
                    .put("triggerOperator", "Above")
                    .remove("displayName");
            HttpResponse<String> invalidReply = send("PUT", otherUrl, contributor, invalid.toString());
            assertThat(invalidReply.statusCode()).isEqualTo(400);
            JsonNode invalidError = JSON.readTree(invalidReply.body()).path("error");
            assertThat(invalidError.path("details").findValuesAsText("target"))
                    .containsExactlyInAnyOrder("properties.triggerOperator", "properties.displayName");
            assertThat(invalidError.path("message").asText()).contains("properties.triggerOperator");
            ObjectNode tooOften = (ObjectNode) JSON.readTree(EXAMPLE);
            ((ObjectNode) tooOften.path("properties")).put("queryFrequency", "PT1M");
            JsonNode tooOftenDetail = JSON.readTree(send("PUT", otherUrl, contributor, tooOften.toString())
                            .body())
                    .path("error")
                    .path("details")
                    .get(0);
            assertThat(tooOftenDetail.path("code").asText()).isEqualTo("out_of_range");
            assertThat(tooOftenDetail.path("target").asText()).isEqualTo("properties.queryFrequency");
            assertThat(send("GET", otherUrl, reader, null).statusCode()).isEqualTo(404);
            assertThat(send("PUT", otherUrl, contributor, "{\"kind\":\"Fusion\",\"properties\":{}}")
                            .body())
                    .contains("not a query rule");
            assertThat(send("PUT", otherUrl, contributor, "not json").statusCode())
                    .isEqualTo(400);
            assertThat(send("PUT", otherUrl, contributor, "{\"properties\":{}}").body())
                    .contains("'kind'");
            assertThat(send("PUT", base + ARM + "alertRules/bad~id" + API_VERSION, contributor, EXAMPLE)
                            .statusCode())
                    .isEqualTo(400);
            assertThat(send("GET", otherUrl, reader, null).statusCode()).isEqualTo(404);

            // the scheduler's position survives a replacement on the same schedule, not a new frequency
            RuleStateLedger ledger = new RuleStateLedger(runtime.store());
            RuleStateLedger.RuleState position = new RuleStateLedger.RuleState(
                    Instant.parse("2026-12-01T10:00:00Z"), Optional.empty(), Optional.empty());
            ledger.record(RULE_ID, position);
            assertThat(send("PUT", url, contributor, changed.toString()).statusCode())
                    .isEqualTo(200);
            assertThat(ledger.state(RULE_ID)).contains(position);
            ((ObjectNode) changed.path("properties")).put("queryFrequency", "PT2H");
            assertThat(send("PUT", url, contributor, changed.toString()).statusCode())
                    .isEqualTo(200);
            assertThat(ledger.state(RULE_ID)).isEmpty();
            ledger.record(RULE_ID, position);

            // delete: 200, then the rule is gone (404 for GET and for a second DELETE), its position too
            HttpResponse<String> deleted = send("DELETE", url, contributor, null);
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(send("GET", url, reader, null).statusCode()).isEqualTo(404);
            assertThat(send("DELETE", url, contributor, null).statusCode()).isEqualTo(404);
            assertThat(ledger.state(RULE_ID)).isEmpty();
            assertThat(JSON.readTree(send("GET", base + ARM + "alertRules" + API_VERSION, reader, null)
                                    .body())
                            .path("value"))
                    .isEmpty();
        }
    }

    @Test
    void runningServerRunsARulePutAndStopsARuleDeleted() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            String contributor =
                    ApiKeys.create(runtime.workspace(), "content", ApiKeys.Role.CONTRIBUTOR, Clock.systemUTC());
            try (ServerCommand.Running running =
                    ServerCommand.start(runtime, ServeOptions.builder().build())) {
                putAndDeletedRulesRun(runtime, running, contributor);
            }
        }
    }

    private void putAndDeletedRulesRun(VigilRuntime runtime, ServerCommand.Running running, String contributor)
            throws Exception {
        {
            String base = "http://127.0.0.1:" + running.server().port() + ARM + "alertRules/";
            for (String id : List.of("failed-logon", "failed-logon-control")) {
                String body = """
                        {"kind":"NRT","properties":{"displayName":"%s","severity":"Medium","enabled":true,
                        "query":"SecurityEvent | where EventID == 4625 | project TimeGenerated, Computer",
                        "suppressionDuration":"PT5H","suppressionEnabled":false,
                        "entityMappings":[{"entityType":"Host","fieldMappings":
                        [{"identifier":"HostName","columnName":"Computer"}]}]}}
                        """.formatted(id);
                HttpResponse<String> put = send("PUT", base + id + API_VERSION, contributor, body);
                assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
                assertThat(JSON.readTree(put.body()).path("properties").has("queryFrequency"))
                        .isFalse();
            }

            writeFailedLogon(runtime, "dc01");
            awaitAlert(running, runtime, "failed-logon", "dc01");
            awaitAlert(running, runtime, "failed-logon-control", "dc01");

            assertThat(send("DELETE", base + "failed-logon" + API_VERSION, contributor, null)
                            .statusCode())
                    .isEqualTo(200);
            writeFailedLogon(runtime, "dc02");
            // the control rule saw the second batch, so the deleted rule had its chance to run on it and did not
            awaitAlert(running, runtime, "failed-logon-control", "dc02");
            assertThat(alertCount(running, runtime, "failed-logon", "dc02")).isZero();
        }
    }

    private static void writeFailedLogon(VigilRuntime runtime, String computer) throws Exception {
        runtime.store()
                .write(List.of(runtime.store()
                        .catalog()
                        .require("SecurityEvent")
                        .newRow()
                        .set("TimeGenerated", Instant.now())
                        .set("EventID", 4625)
                        .set("Computer", computer)
                        .build()))
                .get(30, TimeUnit.SECONDS);
    }

    private static void awaitAlert(ServerCommand.Running running, VigilRuntime runtime, String ruleId, String host)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (alertCount(running, runtime, ruleId, host) == 0) {
            assertThat(System.nanoTime())
                    .as("no alert of rule %s for %s within 60 s", ruleId, host)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int alertCount(ServerCommand.Running running, VigilRuntime runtime, String ruleId, String host)
            throws Exception {
        HttpResponse<String> reply = ApiQueries.post(
                running,
                runtime,
                "SecurityAlert | where AlertType == '" + ruleId + "' and CompromisedEntity == '" + host + "' | count");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return JSON.readTree(reply.body())
                .path("tables")
                .get(0)
                .path("rows")
                .get(0)
                .get(0)
                .asInt();
    }

    private HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, UTF_8));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }
}
