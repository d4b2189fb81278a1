package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.alerts.AzureAlertCommonSchemaFormat;
import io.vigil.spi.Row;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden outputs of the HTTP sinks' encoders, and the webhook signature against openssl's HMAC. */
class HttpEncodersTest {
    private static Row syslog(String message) {
        return Rows.row("Syslog")
                .set("TimeGenerated", Rows.TIME)
                .set("Computer", "vm-1")
                .set("ProcessID", 42)
                .set("SyslogMessage", message)
                .build();
    }

    private static Row alert() {
        return Rows.row("SecurityAlert")
                .set("TimeGenerated", Rows.TIME)
                .set("StartTime", Instant.parse("2026-11-25T11:50:00Z"))
                .set("EndTime", Instant.parse("2026-11-25T11:59:00Z"))
                .set("AlertName", "Password spray")
                .set("AlertSeverity", "High")
                .set("Description", "12 accounts | \"quoted\"\nnext line")
                .set("SystemAlertId", "4b1c0e52-7f0e-4f3a-9d59-3f1f4f1f0001")
                .set("CompromisedEntity", "alice@contoso.com")
                .set("Tactics", "CredentialAccess")
                .set("Status", "New")
                .set("ExtendedProperties", "{\"Query\":\"SigninLogs | where ResultType == 50126\"}")
                .build();
    }

    @Test
    void aHecEventHasEpochSecondsASourcetypePerTableAndTheRowAsEvent() {
        String event = new HecEventEncoder("vigil").encode(syslog("a \"quote\", a\nbreak, \\ and ü"), Rows.TIME);
        assertThat(event)
                .isEqualTo("{\"time\":1795608000.123,\"host\":\"vm-1\",\"source\":\"vigil\","
                        + "\"sourcetype\":\"vigil:syslog\",\"event\":{\"Computer\":\"vm-1\",\"ProcessID\":42,"
                        + "\"SyslogMessage\":\"a \\\"quote\\\", a\\nbreak, \\\\ and ü\","
                        + "\"TimeGenerated\":\"2026-11-25T12:00:00.123Z\",\"Type\":\"Syslog\"}}");
        // a row without Computer takes the sink's host name; the sourcetype is the table in lower case
        String alert = new HecEventEncoder("collector-7").encode(alert(), Rows.TIME);
        assertThat(alert)
                .startsWith("{\"time\":1795608000.123,\"host\":\"collector-7\",\"source\":\"vigil\","
                        + "\"sourcetype\":\"vigil:securityalert\",\"event\":{");
        assertThat(HecEventEncoder.sourcetype("AzureNetworkAnalytics_CL")).isEqualTo("vigil:azurenetworkanalytics_cl");
    }

    @Test
    void aBulkItemIsAnIndexActionAndTheDocumentOnTwoLines() {
        String item = new BulkEncoder().encode(syslog("x\ny"), Rows.TIME, "17-0");
        assertThat(item)
                .isEqualTo(
                        "{\"index\":{\"_index\":\"vigil-syslog-2026.11.25\",\"_id\":\"17-0\"}}\n"
                                + "{\"@timestamp\":\"2026-11-25T12:00:00.123Z\",\"Computer\":\"vm-1\",\"ProcessID\":42,"
                                + "\"SyslogMessage\":\"x\\ny\",\"TimeGenerated\":\"2026-11-25T12:00:00.123Z\",\"Type\":\"Syslog\"}\n");
        // the day is the UTC day of TimeGenerated, whatever the JVM's zone (tests run in America/Bahia_Banderas)
        assertThat(BulkEncoder.index("SecurityAlert", Instant.parse("2026-11-25T23:30:00Z")))
                .isEqualTo("vigil-securityalert-2026.11.25");
        assertThat(BulkEncoder.index("SecurityAlert", Instant.parse("2026-11-26T00:00:00Z")))
                .isEqualTo("vigil-securityalert-2026.11.26");
    }

    @Test
    void theWebhookSignatureIsHmacSha256OverTimestampDotBody() {
        WebhookSignature signature = new WebhookSignature("whsec-test");
        byte[] body = "{\"AlertName\":\"Spray\"}".getBytes(StandardCharsets.UTF_8);
        // printf '%s' '1764072000.{"AlertName":"Spray"}' | openssl dgst -sha256 -hmac 'whsec-test'
        String expected = "sha256=81324c82add16b4322694449e14e9a223d495186955fed67af686c64b55af754";
        assertThat(signature.sign(1_764_072_000L, body)).isEqualTo(expected);
        assertThat(signature.verify("1764072000", body, expected)).isTrue();
        assertThat(signature.verify("1764072001", body, expected))
                .as("another timestamp")
                .isFalse();
        assertThat(signature.verify("1764072000", "{}".getBytes(StandardCharsets.UTF_8), expected))
                .isFalse();
        assertThat(new WebhookSignature("other").verify("1764072000", body, expected))
                .isFalse();
        assertThat(signature.verify("not a number", body, expected)).isFalse();
    }

    @Test
    void anAlertInTheCommonAlertSchemaIsWhatAzureSendsAndReadsBackIntoTheSameAlert() throws Exception {
        String payload = new CommonAlertSchemaEncoder().encode(alert());
        JsonNode json = SiemReceivers.JSON.readTree(payload);
        assertThat(json.path("schemaId").asText()).isEqualTo("azureMonitorCommonAlertSchema");
        JsonNode essentials = json.path("data").path("essentials");
        assertThat(essentials.toString())
                .isEqualTo("{\"alertId\":\"/providers/Microsoft.AlertsManagement/alerts/"
                        + "4b1c0e52-7f0e-4f3a-9d59-3f1f4f1f0001\",\"alertRule\":\"Password spray\",\"severity\":\"Sev1\","
                        + "\"signalType\":\"Log\",\"monitorCondition\":\"Fired\",\"monitoringService\":\"Log Alerts V2\","
                        + "\"alertTargetIDs\":[],\"configurationItems\":[\"alice@contoso.com\"],"
                        + "\"originAlertId\":\"4b1c0e52-7f0e-4f3a-9d59-3f1f4f1f0001\","
                        + "\"firedDateTime\":\"2026-11-25T11:50:00Z\","
                        + "\"description\":\"12 accounts | \\\"quoted\\\"\\nnext line\","
                        + "\"essentialsVersion\":\"1.0\",\"alertContextVersion\":\"1.0\"}");
        JsonNode context = json.path("data").path("alertContext");
        assertThat(context.path("conditionType").asText()).isEqualTo("LogQueryCriteria");
        assertThat(context.path("condition")
                        .path("allOf")
                        .get(0)
                        .path("searchQuery")
                        .asText())
                .isEqualTo("SigninLogs | where ResultType == 50126");
        assertThat(context.path("condition").path("windowEndTime").asText()).isEqualTo("2026-11-25T11:59:00Z");
        assertThat(json.path("data").path("customProperties").path("Tactics").asText())
                .isEqualTo("CredentialAccess");

        // Vigil's own parser of Azure's payload reads it back into the alert it came from
        List<Row> parsed = Rows.parse(new AzureAlertCommonSchemaFormat(), payload);
        assertThat(parsed).hasSize(1);
        Row back = parsed.getFirst();
        assertThat(back.get("AlertName")).isEqualTo("Password spray");
        assertThat(back.get("AlertSeverity")).isEqualTo("High");
        assertThat(back.get("SystemAlertId")).isEqualTo("4b1c0e52-7f0e-4f3a-9d59-3f1f4f1f0001");
        assertThat(back.get("CompromisedEntity")).isEqualTo("alice@contoso.com");
        assertThat(back.get("Description")).isEqualTo("12 accounts | \"quoted\"\nnext line");
        assertThat(back.get("StartTime")).isEqualTo(Instant.parse("2026-11-25T11:50:00Z"));
    }

    @Test
    void aResolvedAlertSaysResolvedAndOnlyAlertsFitTheSchema() throws Exception {
        Row resolved = Rows.row("SecurityAlert")
                .set("TimeGenerated", Rows.TIME)
                .set("AlertName", "x")
                .set("AlertSeverity", "Low")
                .set("Status", "Resolved")
                .set("EndTime", Instant.parse("2026-11-25T12:30:00Z"))
                .build();
        JsonNode essentials = SiemReceivers.JSON
                .readTree(new CommonAlertSchemaEncoder().encode(resolved))
                .path("data")
                .path("essentials");
        assertThat(essentials.path("monitorCondition").asText()).isEqualTo("Resolved");
        assertThat(essentials.path("severity").asText()).isEqualTo("Sev3");
        assertThat(essentials.path("firedDateTime").asText()).isEqualTo("2026-11-25T12:00:00.123Z");
        assertThat(essentials.path("resolvedDateTime").asText()).isEqualTo("2026-11-25T12:30:00Z");
        assertThatThrownBy(() -> new CommonAlertSchemaEncoder().encode(syslog("m")))
                .hasMessageContaining("SecurityAlert rows, not Syslog");
    }

    @Test
    void endpointsResolveToTheProtocolsPaths() {
        assertThat(SplunkHecWriter.eventUrl(URI.create("https://splunk.example:8088")))
                .hasToString("https://splunk.example:8088/services/collector/event");
        assertThat(SplunkHecWriter.eventUrl(URI.create("https://splunk.example:8088/services/collector")))
                .hasToString("https://splunk.example:8088/services/collector/event");
        assertThat(SplunkHecWriter.eventUrl(URI.create("https://proxy.example/splunk/services/collector/event")))
                .hasToString("https://proxy.example/splunk/services/collector/event");
        assertThatThrownBy(() -> SplunkHecWriter.eventUrl(URI.create("https://splunk.example/hec")))
                .hasMessageContaining("/services/collector/event");
        assertThat(OpenSearchWriter.bulkUrl(URI.create("https://es.example:9200")))
                .hasToString("https://es.example:9200/_bulk");
        assertThat(OpenSearchWriter.bulkUrl(URI.create("https://proxy.example/es/")))
                .hasToString("https://proxy.example/es/_bulk");
        assertThat(OpenSearchWriter.bulkUrl(URI.create("https://es.example:9200/_bulk")))
                .hasToString("https://es.example:9200/_bulk");
    }

    @Test
    void bulkAnswersGiveEachItemItsOwnOutcome() throws Exception {
        String answer = "{\"took\":3,\"errors\":true,\"items\":["
                + "{\"index\":{\"_index\":\"vigil-syslog-2026.11.25\",\"_id\":\"1-0\",\"status\":201}},"
                + "{\"index\":{\"_index\":\"vigil-syslog-2026.11.25\",\"_id\":\"1-1\",\"status\":429,"
                + "\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}}},"
                + "{\"index\":{\"_index\":\"vigil-syslog-2026.11.25\",\"_id\":\"1-2\",\"status\":400,"
                + "\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse [x]\"}}},"
                + "{\"create\":{\"_index\":\"vigil-syslog-2026.11.25\",\"_id\":\"1-3\",\"status\":503,"
                + "\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"primary shard is not active\"}}}]}";
        assertThat(OpenSearchWriter.itemOutcomes(answer, 4))
                .containsExactly(
                        ItemOutcome.ACCEPTED,
                        new ItemOutcome.Retry("status 429: es_rejected_execution_exception: queue full"),
                        new ItemOutcome.Rejected("status 400: mapper_parsing_exception: failed to parse [x]"),
                        new ItemOutcome.Retry("status 503: unavailable_shards_exception: primary shard is not active"));
        assertThatThrownBy(() -> OpenSearchWriter.itemOutcomes(answer, 5)).hasMessageContaining("4 items for 5");
        assertThat(OpenSearchWriter.authorization("elastic:changeme")).isEqualTo("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
        assertThat(OpenSearchWriter.authorization("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="))
                .startsWith("ApiKey VnVh");
    }
}
