package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.engine.KqlEngine;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON the web UI's Alerts, Incidents and Rules pages read beside Sentinel's API, on the real server over
 * the UI's fixture (the built-in pack run over an audit log cleared and a service installed): alert filters,
 * an incident's timeline after a responder's changes, rules with their run state, and enable/disable with its
 * role check.
 */
class DetectionConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static UiFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = UiFixture.start(temp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void alertsAreListedNewestFirstWithTheirWindowQueryEntitiesAndIncident() throws Exception {
        assertThat(fixture.get("/v1/alerts", null).statusCode()).isEqualTo(401);
        JsonNode all = read(fixture.get("/v1/alerts", fixture.readerKey), 200);
        assertThat(all.path("truncated").asBoolean()).isFalse();
        List<String> names = names(all.path("alerts"), "name");
        // raised in one pass, so at one TimeGenerated: the later activity (the service) comes first
        assertThat(names).containsExactly(UiFixture.NEW_SERVICE, UiFixture.AUDIT_LOG_CLEARED);
        assertThat(all.path("alerts").get(0).path("timeGenerated"))
                .isEqualTo(all.path("alerts").get(1).path("timeGenerated"));

        JsonNode cleared = all.path("alerts").get(1);
        assertThat(cleared.path("severity").asText()).isEqualTo("High");
        assertThat(cleared.path("status").asText()).isEqualTo("New");
        assertThat(cleared.path("ruleName").asText()).isEqualTo(UiFixture.AUDIT_LOG_CLEARED);
        assertThat(cleared.path("query").asText()).contains("EventID == 1102");
        Instant start = Instant.parse(cleared.path("windowStart").asText());
        Instant end = Instant.parse(cleared.path("windowEnd").asText());
        assertThat(end).isEqualTo(start.plusSeconds(3600));
        assertThat(Instant.parse(cleared.path("startTime").asText())).isBetween(start, end);
        assertThat(cleared.path("entities").toString()).contains(UiFixture.CLEARED_ON);
        assertThat(cleared.path("incidents").get(0).asInt()).isEqualTo(UiFixture.CLEARED_INCIDENT);

        // each filter narrows the list; bad values are refused with what is allowed
        assertThat(names(
                        read(fixture.get("/v1/alerts?severity=High", fixture.readerKey), 200)
                                .path("alerts"),
                        "name"))
                .containsExactly(UiFixture.AUDIT_LOG_CLEARED);
        String ruleId = cleared.path("ruleId").asText();
        assertThat(names(
                        read(fixture.get("/v1/alerts?rule=" + ruleId, fixture.readerKey), 200)
                                .path("alerts"),
                        "name"))
                .containsExactly(UiFixture.AUDIT_LOG_CLEARED);
        assertThat(read(fixture.get("/v1/alerts?status=Resolved", fixture.readerKey), 200)
                        .path("alerts"))
                .isEmpty();
        assertThat(names(
                        read(fixture.get("/v1/alerts?incident=" + UiFixture.SERVICE_INCIDENT, fixture.readerKey), 200)
                                .path("alerts"),
                        "name"))
                .containsExactly(UiFixture.NEW_SERVICE);
        assertThat(read(fixture.get("/v1/alerts?timespan=PT2H", fixture.readerKey), 200)
                        .path("alerts"))
                .hasSize(2);
        // an alert is generated when its rule ran, at the latest now: a window that ends an hour ago sees none
        String past = URLEncoder.encode(
                Instant.now().minusSeconds(7200) + "/" + Instant.now().minusSeconds(3600 * 3 / 2),
                StandardCharsets.UTF_8);
        assertThat(read(fixture.get("/v1/alerts?timespan=" + past, fixture.readerKey), 200)
                        .path("alerts"))
                .isEmpty();
        assertThat(read(fixture.get("/v1/alerts?severity=Urgent", fixture.readerKey), 400)
                        .path("error")
                        .path("message")
                        .asText())
                .contains("High, Medium, Low or Informational");
        assertThat(read(fixture.get("/v1/alerts?status=Open", fixture.readerKey), 400)
                        .path("error")
                        .path("message")
                        .asText())
                .contains("New, InProgress, Resolved, Dismissed");
        read(fixture.get("/v1/alerts?rule=x%22%20or%201==1", fixture.readerKey), 400);
        read(fixture.get("/v1/alerts?timespan=yesterday", fixture.readerKey), 400);
        read(fixture.get("/v1/alerts?incident=99", fixture.readerKey), 404);
    }

    @Test
    void anIncidentsTimelineSaysWhatEachRowChanged() throws Exception {
        JsonNode created =
                read(fixture.get("/v1/incidents/" + UiFixture.SERVICE_INCIDENT + "/timeline", fixture.readerKey), 200);
        assertThat(created.path("rows")).hasSize(1);
        assertThat(created.path("rows").get(0).path("changes").get(0).asText())
                .isEqualTo("Created with 1 alert, severity Medium, status New");
        assertThat(created.path("rows").get(0).path("modifiedBy").asText()).isEqualTo("Vigil");

        read(
                fixture.put(
                        "/v1/securityinsights/incidents/" + UiFixture.SERVICE_INCIDENT + "/comments/1",
                        fixture.responderKey,
                        "{\"properties\":{\"message\":\"updater.exe is our patch agent\"}}"),
                201);
        read(
                fixture.put(
                        "/v1/securityinsights/incidents/" + UiFixture.SERVICE_INCIDENT,
                        fixture.responderKey,
                        "{\"properties\":{\"status\":\"Closed\",\"classification\":\"BenignPositive\","
                                + "\"classificationReason\":\"SuspiciousButExpected\","
                                + "\"owner\":{\"assignedTo\":\"oncall@contoso.com\"}}}"),
                200);
        JsonNode rows = read(
                        fixture.get("/v1/incidents/" + UiFixture.SERVICE_INCIDENT + "/timeline", fixture.readerKey),
                        200)
                .path("rows");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).path("modifiedBy").asText()).isEqualTo("oncall");
        assertThat(names(rows.get(1).path("changes"), null)).containsExactly("Comment: updater.exe is our patch agent");
        assertThat(names(rows.get(2).path("changes"), null))
                .containsExactly(
                        "Status New → Closed",
                        "Owner unassigned → oncall@contoso.com",
                        "Classified BenignPositive (SuspiciousButExpected)");
        assertThat(rows.get(2).path("status").asText()).isEqualTo("Closed");

        read(fixture.get("/v1/incidents/99/timeline", fixture.readerKey), 404);
        assertThat(fixture.get("/v1/incidents/x/timeline", fixture.readerKey).statusCode())
                .isEqualTo(404);
    }

    @Test
    void rulesShowRunStateAndAlertCountsAndOnlyAContributorEnablesOrDisables() throws Exception {
        JsonNode rules = read(fixture.get("/v1/rules", fixture.readerKey), 200).path("rules");
        // the built-in pack's eight, and one more when the broken rule's test ran first
        assertThat(rules.size()).isBetween(8, 9);
        JsonNode cleared = find(rules, UiFixture.AUDIT_LOG_CLEARED);
        assertThat(cleared.path("enabled").asBoolean()).isTrue();
        assertThat(cleared.path("kind").asText()).isEqualTo("Scheduled");
        assertThat(cleared.path("severity").asText()).isEqualTo("High");
        assertThat(cleared.path("query").asText()).contains("EventID == 1102");
        assertThat(cleared.path("alerts").asInt()).isEqualTo(1);
        Instant lastRun = Instant.parse(cleared.path("lastRun").asText());
        assertThat(Instant.parse(cleared.path("nextRun").asText())).isEqualTo(lastRun.plusSeconds(3600));
        assertThat(cleared.path("lastAlert").asText()).isNotEmpty();
        JsonNode spray = find(rules, "Password spray");
        assertThat(spray.path("alerts").asInt()).isZero();
        assertThat(spray.path("lastRun").asText()).isNotEmpty();

        String path = "/v1/rules/" + cleared.path("id").asText() + "/enabled";
        HttpResponse<String> refused = fixture.put(path, fixture.responderKey, "{\"enabled\":false}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("contributor");
        read(fixture.put(path, fixture.adminKey, "{\"enabled\":\"no\"}"), 400);
        read(fixture.put("/v1/rules/no-such-rule/enabled", fixture.adminKey, "{\"enabled\":false}"), 404);

        assertThat(read(fixture.put(path, fixture.adminKey, "{\"enabled\":false}"), 200)
                        .path("enabled")
                        .asBoolean())
                .isFalse();
        JsonNode disabled =
                find(read(fixture.get("/v1/rules", fixture.readerKey), 200).path("rules"), UiFixture.AUDIT_LOG_CLEARED);
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("nextRun").isNull()).isTrue();
        assertThat(new RuleLibrary(fixture.runtime.store().dataDir()).find(UiFixture.AUDIT_LOG_CLEARED))
                .hasValueSatisfying(stored -> assertThat(stored.enabled()).isFalse());
        read(fixture.put(path, fixture.adminKey, "{\"enabled\":true}"), 200);
        assertThat(new RuleLibrary(fixture.runtime.store().dataDir()).find(UiFixture.AUDIT_LOG_CLEARED))
                .hasValueSatisfying(stored -> assertThat(stored.enabled()).isTrue());
    }

    @Test
    void aRuleWhoseQueryDoesNotCompileIsNotEnabled() throws Exception {
        RuleLibrary library = new RuleLibrary(fixture.runtime.store().dataDir());
        List<RuleLibrary.Imported> imported = library.importFile(
                "broken.yaml", """
                id: 0f0f0f0f-0000-4000-8000-00000000b0ad
                name: Broken rule
                severity: Low
                queryFrequency: 1h
                queryPeriod: 1h
                triggerOperator: gt
                triggerThreshold: 0
                query: SecurityEvent | wher EventID == 1
                """, KqlEngine.builder(fixture.runtime.store()).build(), Instant.now());
        assertThat(imported.get(0).enabled()).isFalse();
        JsonNode refused = read(
                fixture.put(
                        "/v1/rules/0f0f0f0f-0000-4000-8000-00000000b0ad/enabled",
                        fixture.adminKey,
                        "{\"enabled\":true}"),
                400);
        assertThat(refused.path("error").path("message").asText()).contains("does not compile");
        assertThat(refused.path("error").path("details").get(0).path("code").asText())
                .startsWith("KQL");
        assertThat(library.find("Broken rule"))
                .hasValueSatisfying(stored -> assertThat(stored.enabled()).isFalse());
    }

    private static JsonNode read(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        for (JsonNode node : array) {
            names.add(field == null ? node.asText() : node.path(field).asText());
        }
        return names;
    }

    private static JsonNode find(JsonNode rules, String name) {
        for (JsonNode rule : rules) {
            if (rule.path("name").asText().equals(name)) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + name + " in " + rules);
    }
}
