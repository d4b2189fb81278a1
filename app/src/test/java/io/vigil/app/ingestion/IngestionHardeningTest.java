package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.LogCapture;
import io.vigil.app.http.HttpLimits;
import io.vigil.store.TimeGeneratedWindow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's ingestion defects, probed from outside as they were found: the real server on 127.0.0.1,
 * requests over HTTP, rows read back through the query API, and restarts of the same workspace.
 */
class IngestionHardeningTest {
    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private IngestionRequests requests;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new IngestionTestServer(dataDir);
        requests = new IngestionRequests(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** The server stopped and started again over the same workspace (retention runs at every start). */
    private void restart() throws Exception {
        server.close();
        server = new IngestionTestServer(dataDir, HttpLimits.DEFAULT);
        server.runtime.store().applyRetention();
        requests = new IngestionRequests(server);
    }

    private HttpResponse<String> dataCollector(String logType, String json, String timeField) throws Exception {
        byte[] body = json.getBytes(UTF_8);
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now(ZoneOffset.UTC));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Log-Type", logType)
                .header("x-ms-date", date)
                .header(
                        "Authorization",
                        "SharedKey " + server.runtime.workspace().workspaceId() + ":"
                                + SharedKeySignature.sign(
                                        server.runtime.workspace().sharedKey(), body.length, date))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (timeField != null) {
            request.header("time-generated-field", timeField);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> dataCollector(String logType, String json) throws Exception {
        return dataCollector(logType, json, null);
    }

    /** The sum of a counter over every series whose labels contain all of {@code labels} ("name=\"value\""). */
    private long metric(String name, String... labels) {
        long sum = 0;
        for (String line : server.runtime.metrics().renderPrometheus().split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                sum += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // item 4: names that differ only in case

    @Test
    void logTypesDifferingOnlyInCaseWriteOneTableNamedByTheFirst() throws Exception {
        assertThat(dataCollector("CaseA", "[{\"n\":1}]").statusCode()).isEqualTo(200);
        assertThat(dataCollector("CASEA", "[{\"n\":2}]").statusCode()).isEqualTo(200);
        HttpResponse<String> third = dataCollector("casea", "[{\"n\":3}]");
        assertThat(third.statusCode()).as(third.body()).isEqualTo(200);

        assertThat(server.runtime.store().catalog().tables().stream()
                        .filter(table -> table.name().equalsIgnoreCase("CaseA_CL"))
                        .map(table -> table.name()))
                .containsExactly("CaseA_CL");
        assertThat(server.query("CaseA_CL | count")).containsExactly(List.of(3));
        assertThat(server.query("CaseA_CL | distinct Type")).containsExactly(List.of("CaseA_CL"));
        // every row once, not once per casing
        assertThat(server.query("union * | where Type =~ 'casea_CL' | count")).containsExactly(List.of(3));

        restart();
        assertThat(dataCollector("CASEA", "[{\"n\":4}]").statusCode()).isEqualTo(200);
        assertThat(server.query("CaseA_CL | count")).containsExactly(List.of(4));
    }

    @Test
    void aLogTypeNamingABuiltInTableInAnyCasingIsRefused() throws Exception {
        int columns = server.runtime
                .store()
                .catalog()
                .require("AzureNetworkAnalytics_CL")
                .columnCount();
        for (String logType : List.of("azurenetworkanalytics", "AzureNetworkAnalytics")) {
            HttpResponse<String> response = dataCollector(logType, "[{\"Extra\":\"x\"}]");
            assertThat(response.statusCode()).as(logType).isEqualTo(400);
            assertThat(response.body()).contains("InvalidLogType", "built-in table");
        }
        assertThat(server.runtime.store().catalog().tables().stream()
                        .filter(table -> table.name().equalsIgnoreCase("AzureNetworkAnalytics_CL"))
                        .map(table -> table.columnCount()))
                .containsExactly(columns);
        assertThat(server.query("AzureNetworkAnalytics_CL | count")).containsExactly(List.of(0));
    }

    @Test
    void keysDifferingOnlyInCaseExtendAnExistingTableAndSurviveARestart() throws Exception {
        assertThat(dataCollector("Twins", "[{\"Host\":\"a\"}]").statusCode()).isEqualTo(200);
        HttpResponse<String> twins = dataCollector("Twins", "[{\"Host\":\"b\",\"Zed\":\"upper\",\"zed\":\"lower\"}]");
        assertThat(twins.statusCode()).as(twins.body()).isEqualTo(200);
        HttpResponse<String> later = dataCollector("Twins", "[{\"Host\":\"c\",\"zed\":\"only lower\"}]");
        assertThat(later.statusCode()).as(later.body()).isEqualTo(200);

        List<List<Object>> expected = List.of(
                java.util.Arrays.asList("a", "", ""),
                List.of("b", "upper", "lower"),
                java.util.Arrays.asList("c", "", "only lower"));
        assertThat(server.query("Twins_CL | order by Host_s asc | project Host_s, Zed_s, zed_s"))
                .containsExactlyElementsOf(expected);

        restart();
        assertThat(server.query("Twins_CL | order by Host_s asc | project Host_s, Zed_s, zed_s"))
                .containsExactlyElementsOf(expected);
        assertThat(dataCollector("Twins", "[{\"Host\":\"d\",\"Zed\":\"again\"}]")
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.query("Twins_CL | where Host_s == 'd' | project Zed_s"))
                .containsExactly(List.of("again"));
    }

    // item 8: acknowledged rows must survive the next retention pass

    @Test
    void logsIngestionRowsDatedBeforeRetentionGetTheIngestionTimeAndSurviveARestart() throws Exception {
        Instant before = Instant.now();
        String body = "[{\"TimeGenerated\":\"1800-01-01T00:00:00Z\",\"Computer\":\"old-1800\",\"Attempts\":1},"
                + "{\"TimeGenerated\":\"2024-01-01T00:00:00Z\",\"Computer\":\"old-2024\",\"Attempts\":2},"
                + "{\"TimeGenerated\":\"2999-01-01T00:00:00Z\",\"Computer\":\"future\",\"Attempts\":3},"
                + "{\"TimeGenerated\":\"" + before.minus(Duration.ofHours(1)) + "\",\"Computer\":\"recent\","
                + "\"Attempts\":4}]";
        HttpResponse<String> response = requests.send(IngestionRequests.Endpoint.LOGS_INGESTION, body.getBytes(UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(metric(
                        "repairs_total",
                        "input=\"logs_ingestion\"",
                        "reason=\"" + TimeGeneratedWindow.REPAIR_REASON + "\""))
                .isEqualTo(3);

        restart();
        assertThat(server.query("Limits_CL | where TimeGenerated >= datetime(" + before.minusSeconds(1)
                        + ") | order by Attempts asc | project Computer"))
                .containsExactly(List.of("old-1800"), List.of("old-2024"), List.of("future"));
        assertThat(server.query("Limits_CL | count")).containsExactly(List.of(4));
    }

    @Test
    void dataCollectorAndAppInsightsOldTimesAreRepairedAndCounted() throws Exception {
        HttpResponse<String> collected =
                dataCollector("OldTimes", "[{\"Host\":\"h\",\"When\":\"1990-05-01T00:00:00Z\"}]", "When");
        assertThat(collected.statusCode()).isEqualTo(200);
        assertThat(metric(
                        "repairs_total",
                        "input=\"data_collector\"",
                        "reason=\"" + TimeGeneratedWindow.REPAIR_REASON + "\""))
                .isEqualTo(1);

        String envelope = "{\"name\":\"Microsoft.ApplicationInsights.Message\",\"time\":\"1700-01-01T00:00:00Z\","
                + "\"iKey\":\"" + requests.instrumentationKey + "\",\"data\":{\"baseType\":\"MessageData\","
                + "\"baseData\":{\"message\":\"from 1700\"}}}";
        HttpResponse<String> tracked = requests.send(IngestionRequests.Endpoint.TRACK, envelope.getBytes(UTF_8));
        assertThat(tracked.statusCode()).as(tracked.body()).isEqualTo(200);
        assertThat(metric(
                        "repairs_total",
                        "input=\"appinsights\"",
                        "reason=\"" + TimeGeneratedWindow.REPAIR_REASON + "\""))
                .isEqualTo(1);

        restart();
        assertThat(server.query("OldTimes_CL | project When_t == datetime(1990-05-01), TimeGenerated > ago(1h)"))
                .containsExactly(List.of(true, true));
        assertThat(server.query("AppTraces | where Message == 'from 1700' | project TimeGenerated > ago(1h)"))
                .containsExactly(List.of(true));
    }

    // item 9: keys that sanitise to one name

    @Test
    void keysThatSanitiseAlikeKeepEveryValue() throws Exception {
        HttpResponse<String> response = dataCollector(
                "Collide", "[{\"a b\":\"space\",\"a-b\":\"dash\",\"a.b\":\"dot\",\"a_b_2\":\"literal\"}]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(server.query("Collide_CL | project a_b_s, a_b_2_s, a_b_3_s, a_b_2_2_s"))
                .containsExactly(List.of("space", "dash", "dot", "literal"));
        assertThat(metric("repairs_total", "input=\"data_collector\"", "reason=\"field_name_collision\""))
                .isEqualTo(1);
    }

    // item 12: a baseData that is not an object

    @Test
    void anEnvelopeWhoseBaseDataIsNotAnObjectIsDeadLettered() throws Exception {
        String envelope = "{\"name\":\"Microsoft.ApplicationInsights.Message\",\"time\":\"" + Instant.now()
                + "\",\"iKey\":\"" + requests.instrumentationKey + "\",\"data\":{\"baseType\":\"MessageData\","
                + "\"baseData\":\"just a string\"}}";
        HttpResponse<String> response = requests.send(IngestionRequests.Endpoint.TRACK, envelope.getBytes(UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"itemsAccepted\":0", "baseData");
        assertThat(server.query("AppTraces | count")).containsExactly(List.of(0));
        assertThat(server.query("VigilDeadLetter | where Format == 'appinsights_envelope' | project Reason"))
                .containsExactly(List.of("unknown_record_shape"));
    }

    // item 14: input changed silently

    @Test
    void trailingContentAfterTheJsonBodyIsRefused() throws Exception {
        HttpResponse<String> collected = dataCollector("Trailing", "[{\"n\":1}] trailing garbage");
        assertThat(collected.statusCode()).isEqualTo(400);
        assertThat(collected.body()).contains("InvalidDataFormat");
        HttpResponse<String> twoValues = dataCollector("Trailing", "[{\"n\":1}][{\"n\":2}]");
        assertThat(twoValues.statusCode()).isEqualTo(400);
        assertThat(server.runtime.store().catalog().tableIgnoringCase("Trailing_CL"))
                .isEmpty();

        HttpResponse<String> ingested = requests.send(
                IngestionRequests.Endpoint.LOGS_INGESTION,
                "[{\"Computer\":\"x\",\"Attempts\":1}] garbage".getBytes(UTF_8));
        assertThat(ingested.statusCode()).isEqualTo(400);
        assertThat(ingested.body()).contains("InvalidPayload");
        assertThat(server.runtime.store().catalog().table("Limits_CL")).isEmpty();
    }

    @Test
    void nulAndLoneSurrogatesAreStoredAsReplacementCharactersAndCounted() throws Exception {
        HttpResponse<String> response =
                dataCollector("Chars", "[{\"nul\":\"a\\u0000b\",\"lone\":\"c\\ud800d\",\"pair\":\"\\ud83d\\ude00\"}]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(server.query("Chars_CL | project nul_s, lone_s, pair_s"))
                .containsExactly(List.of("a\uFFFDb", "c\uFFFDd", "\uD83D\uDE00"));
        assertThat(metric("store_values_repaired_total", "table=\"Chars_CL\"", "reason=\"nul_character\""))
                .isEqualTo(1);
        assertThat(metric("store_values_repaired_total", "table=\"Chars_CL\"", "reason=\"lone_surrogate\""))
                .isEqualTo(1);
    }

    // item 15: failed authentications in the log

    @Test
    void failedAuthenticationsAreLoggedWithTheSourceAddressRateLimited() throws Exception {
        try (LogCapture log = LogCapture.of("io.vigil.app.AuthFailureLog")) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(http.send(
                                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Authorization", "Bearer wrong-key-" + i)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
            }
            assertThat(statuses).containsOnly(401);
            List<String> lines = log.messages();
            // one line for the address within the minute, naming it, never the presented key
            assertThat(lines).hasSize(1);
            assertThat(lines.getFirst()).contains("127.0.0.1", "api").doesNotContain("wrong-key");
        }
    }
}
