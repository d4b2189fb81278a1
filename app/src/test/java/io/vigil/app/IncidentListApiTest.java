package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.http.ApiKeys;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.detect.schedule.RuleScheduler;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.spi.Row;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel's Incidents_List with the OData options scripts written for Sentinel send ($filter on status and
 * severity with and/or, $orderby on createdTimeUtc, $top), over a real server and client; options Vigil cannot
 * apply are a 400, never ignored.
 */
class IncidentListApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARM = "/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg"
            + "/providers/Microsoft.OperationalInsights/workspaces/default/providers/Microsoft.SecurityInsights/";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dataDir;

    private static AnalyticRule rule(String id, String name, String severity, int eventId) {
        return ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", """
                        id: %s
                        name: %s
                        severity: %s
                        queryFrequency: 5m
                        queryPeriod: 1h
                        triggerOperator: gt
                        triggerThreshold: 0
                        query: SecurityEvent | where EventID == %d | project TimeGenerated, Computer
                        """.formatted(id, name, severity, eventId)))
                .rule();
    }

    @Test
    void incidentListTakesFilterOrderByAndTop() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            List<Row> rows = new ArrayList<>();
            for (int eventId : List.of(1102, 4625, 4624)) {
                rows.add(runtime.store()
                        .catalog()
                        .require("SecurityEvent")
                        .newRow()
                        .set("TimeGenerated", Instant.now().minus(Duration.ofMinutes(10)))
                        .set("EventID", eventId)
                        .set("Computer", "dc01")
                        .build());
            }
            runtime.store().write(rows).get(30, TimeUnit.SECONDS);
            KqlEngine engine = KqlEngine.builder(runtime.store()).build();
            RuleScheduler scheduler = new RuleScheduler(runtime.store(), engine, runtime.clock(), QueryLimits.DEFAULT);
            // one pass per rule, so the incidents are created one after the other: 1 High, 2 Medium, 3 Low
            scheduler.runDue(List.of(rule("r1", "Audit log cleared", "High", 1102)));
            scheduler.runDue(List.of(rule("r2", "Failed logon", "Medium", 4625)));
            scheduler.runDue(List.of(rule("r3", "Logon", "Low", 4624)));
            String reader = ApiKeys.create(runtime.workspace(), "analyst", ApiKeys.Role.READER, Clock.systemUTC());
            String responder = ApiKeys.create(runtime.workspace(), "oncall", ApiKeys.Role.RESPONDER, Clock.systemUTC());
            try (ServerCommand.Running running =
                    ServerCommand.start(runtime, ServeOptions.builder().build())) {
                String base = "http://127.0.0.1:" + running.server().port() + ARM;
                assertThat(numbers(base, reader, "")).containsExactlyInAnyOrder(1, 2, 3);
                assertThat(send(
                                        "PUT",
                                        base + "incidents/1?api-version=2023-02-01",
                                        responder,
                                        "{\"properties\":{\"status\":\"Closed\",\"classification\":\"BenignPositive\"}}")
                                .statusCode())
                        .isEqualTo(200);

                assertThat(numbers(base, reader, "$filter=properties/status eq 'New'"))
                        .containsExactlyInAnyOrder(2, 3);
                assertThat(numbers(base, reader, "$filter=properties/severity eq 'High'"))
                        .containsExactly(1);
                assertThat(numbers(
                                base, reader, "$filter=properties/status eq 'New' and properties/severity eq 'Medium'"))
                        .containsExactly(2);
                assertThat(numbers(
                                base,
                                reader,
                                "$filter=(properties/severity eq 'High' or properties/severity eq 'Low')"
                                        + " and properties/status ne 'Closed'"))
                        .containsExactly(3);
                assertThat(numbers(base, reader, "$filter=properties/classification eq 'BenignPositive'"))
                        .containsExactly(1);
                assertThat(numbers(base, reader, "$filter=properties/createdTimeUtc gt 2000-01-01T00:00:00Z"))
                        .hasSize(3);
                assertThat(numbers(base, reader, "$filter=properties/createdTimeUtc lt 2000-01-01T00:00:00Z"))
                        .isEmpty();

                // newest first, as Sentinel's scripts page through incidents
                assertThat(numbers(base, reader, "$orderby=properties/createdTimeUtc desc"))
                        .containsExactly(3, 2, 1);
                assertThat(numbers(base, reader, "$orderby=properties/createdTimeUtc asc&$top=2"))
                        .containsExactly(1, 2);
                assertThat(numbers(
                                base,
                                reader,
                                "$filter=properties/status eq 'New'&$orderby=properties/createdTimeUtc desc&$top=1"))
                        .containsExactly(3);
                assertThat(numbers(base, reader, "$top=0")).isEmpty();

                for (String unsupported : List.of(
                        "$filter=properties/labels/any(l: l/labelName eq 'x')",
                        "$filter=properties/status eq New",
                        "$filter=properties/Status eq 'New'",
                        "$filter=properties/title gt 'A'",
                        "$orderby=properties/nothing desc",
                        "$top=-1",
                        "$top=many",
                        "$skipToken=abc",
                        "$select=name")) {
                    HttpResponse<String> refused = send("GET", url(base, unsupported), reader, null);
                    assertThat(refused.statusCode()).as(unsupported).isEqualTo(400);
                    JsonNode error = JSON.readTree(refused.body()).path("error");
                    assertThat(error.path("code").asText()).isEqualTo("BadRequest");
                    assertThat(error.path("message").asText()).as(unsupported).isNotBlank();
                }
            }
        }
    }

    private List<Integer> numbers(String base, String key, String options) throws Exception {
        HttpResponse<String> reply = send("GET", url(base, options), key, null);
        assertThat(reply.statusCode()).as(options + ": " + reply.body()).isEqualTo(200);
        List<Integer> numbers = new ArrayList<>();
        for (JsonNode incident : JSON.readTree(reply.body()).path("value")) {
            numbers.add(incident.path("properties").path("incidentNumber").asInt());
        }
        return numbers;
    }

    /** The options as a client sends them: each value percent-encoded (spaces as %20, as OData clients do). */
    private static String url(String base, String options) {
        StringBuilder url = new StringBuilder(base).append("incidents?api-version=2023-02-01");
        if (options.isEmpty()) {
            return url.toString();
        }
        for (String option : options.split("&")) {
            int equals = option.indexOf('=');
            url.append('&')
                    .append(option, 0, equals)
                    .append('=')
                    .append(URLEncoder.encode(option.substring(equals + 1), UTF_8)
                            .replace("+", "%20"));
        }
        return url.toString();
    }

    private HttpResponse<String> send(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        request.header("Authorization", "Bearer " + key);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, UTF_8));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }
}
