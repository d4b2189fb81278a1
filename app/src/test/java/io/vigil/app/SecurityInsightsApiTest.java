package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.http.ApiKeys;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel's management API on a real server: incidents listed, read, updated and commented on as Sentinel's
 * REST reference documents (request bodies shaped like its examples Incidents_CreateOrUpdate and
 * IncidentComments_CreateOrUpdate), with the role checks.
 */
class SecurityInsightsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARM = "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg"
            + "/providers/Microsoft.OperationalInsights/workspaces/default/providers/Microsoft.SecurityInsights/";
    private static final String API_VERSION = "?api-version=2023-02-01";
    private static final AnalyticRule RULE = ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", """
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
                    """)).rule();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dataDir;

    @Test
    void incidentsAreListedUpdatedAndCommentedInSentinelsShapesWithRoleChecks() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            IncidentFixture.raiseIncident(runtime, RULE);
            String reader = IncidentFixture.key(runtime, "analyst", ApiKeys.Role.READER);
            String responder = IncidentFixture.key(runtime, "oncall", ApiKeys.Role.RESPONDER);
            try (ServerCommand.Running running = IncidentFixture.serve(runtime)) {
                String base = IncidentFixture.baseUrl(running);

                assertThat(send("GET", base + ARM + "incidents" + API_VERSION, null, null)
                                .statusCode())
                        .isEqualTo(401);

                HttpResponse<String> list = send("GET", base + ARM + "incidents" + API_VERSION, reader, null);
                assertThat(list.statusCode()).isEqualTo(200);
                JsonNode incident = JSON.readTree(list.body()).path("value").get(0);
                assertThat(incident.path("type").asText()).isEqualTo("Microsoft.SecurityInsights/Incidents");
                String name = incident.path("name").asText();
                assertThat(incident.path("id").asText()).isEqualTo(ARM + "incidents/" + name);
                JsonNode properties = incident.path("properties");
                assertThat(properties.path("title").asText()).isEqualTo("Audit log cleared");
                assertThat(properties.path("severity").asText()).isEqualTo("High");
                assertThat(properties.path("status").asText()).isEqualTo("New");
                assertThat(properties.path("incidentNumber").asInt()).isEqualTo(1);
                assertThat(properties.path("additionalData").path("alertsCount").asInt())
                        .isEqualTo(1);

                // the short alias serves the same resources
                assertThat(JSON.readTree(send("GET", base + "/v1/securityinsights/incidents/1", reader, null)
                                        .body())
                                .path("name")
                                .asText())
                        .isEqualTo(name);
                assertThat(send("GET", base + ARM + "incidents/no-such-incident" + API_VERSION, reader, null)
                                .statusCode())
                        .isEqualTo(404);

                // Sentinel's Incidents_CreateOrUpdate example body, with Vigil's incident name
                String update = """
                        {"etag":"\\"0300bf09-0000-0000-0000-5c37296e0000\\"","properties":{
                        "title":"Audit log cleared","severity":"High","status":"Closed",
                        "classification":"FalsePositive","classificationReason":"IncorrectAlertLogic",
                        "classificationComment":"Not a malicious activity",
                        "owner":{"objectId":"2046feea-040d-4a46-9e2b-91c2941bfa70","assignedTo":"soc@contoso.com"},
                        "firstActivityTimeUtc":"2019-01-01T13:00:30Z","lastActivityTimeUtc":"2019-01-01T13:05:30Z"}}
                        """;
                String incidentUrl = base + ARM + "incidents/" + name + API_VERSION;
                HttpResponse<String> forbidden = send("PUT", incidentUrl, reader, update);
                assertThat(forbidden.statusCode()).isEqualTo(403);
                assertThat(forbidden.body()).contains("responder");
                assertThat(send("PUT", incidentUrl, responder, "{\"properties\":{\"status\":\"Done\"}}")
                                .body())
                        .contains("New, Active or Closed");
                HttpResponse<String> updated = send("PUT", incidentUrl, responder, update);
                assertThat(updated.statusCode()).isEqualTo(200);
                JsonNode closed = JSON.readTree(updated.body()).path("properties");
                assertThat(closed.path("status").asText()).isEqualTo("Closed");
                assertThat(closed.path("classification").asText()).isEqualTo("FalsePositive");
                assertThat(closed.path("owner").path("assignedTo").asText()).isEqualTo("soc@contoso.com");

                // Sentinel's IncidentComments_CreateOrUpdate example body
                String commentUrl = base + ARM + "incidents/" + name + "/comments/4bb36b7b-26ff-4d1c-9cbe-0d8ab3da0014"
                        + API_VERSION;
                assertThat(send("PUT", commentUrl, responder, "{\"properties\":{}}")
                                .statusCode())
                        .isEqualTo(400);
                assertThat(send("PUT", commentUrl, responder, "{\"properties\":{\"message\":\"Some message\"}}")
                                .statusCode())
                        .isEqualTo(201);
                JsonNode comments = JSON.readTree(
                                send("GET", base + ARM + "incidents/" + name + "/comments" + API_VERSION, reader, null)
                                        .body())
                        .path("value");
                assertThat(comments).hasSize(1);
                assertThat(comments.get(0).path("properties").path("message").asText())
                        .isEqualTo("Some message");

                // Incidents_ListAlerts is a POST, a read any role may do
                HttpResponse<String> alerts =
                        send("POST", base + ARM + "incidents/" + name + "/alerts" + API_VERSION, reader, "");
                assertThat(alerts.statusCode()).isEqualTo(200);
                JsonNode alert = JSON.readTree(alerts.body()).path("value").get(0);
                assertThat(alert.path("kind").asText()).isEqualTo("SecurityAlert");
                assertThat(alert.path("properties").path("alertDisplayName").asText())
                        .isEqualTo("Audit log cleared");
                assertThat(alert.path("properties").path("severity").asText()).isEqualTo("High");
                assertThat(alert.path("properties").path("compromisedEntity").asText())
                        .isEqualTo("dc01");

                // every change is a new SecurityIncident row: the raised one, the update, the comment
                String count = send(
                                "POST",
                                base + "/v1/workspaces/" + runtime.store().workspaceId() + "/query",
                                reader,
                                "{\"query\":\"SecurityIncident | where IncidentNumber == 1 | count\"}")
                        .body();
                assertThat(JSON.readTree(count)
                                .path("tables")
                                .get(0)
                                .path("rows")
                                .get(0)
                                .get(0)
                                .asInt())
                        .isEqualTo(3);
            }
        }
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
