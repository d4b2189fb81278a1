package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.cli.CliRun;
import io.vigil.formats.logsingestion.DcrFlowFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data collection rule whose flow writes a built-in table ({@code outputStream: Microsoft-Syslog}), as
 * "Logs Ingestion API in Azure Monitor" allows for its supported tables: the transform shapes a custom stream
 * into the table's own columns, a column the table does not have is dropped (counted as a repair), and the rows
 * are read back through the query API.
 */
class DcrBuiltInTableTest {
    private static final String RULE = """
            {"properties": {
              "streamDeclarations": {"Custom-NetworkAppliance": {"columns": [
                {"name": "Time", "type": "datetime"},
                {"name": "Host", "type": "string"},
                {"name": "Text", "type": "string"},
                {"name": "Level", "type": "int"}]}},
              "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
              "dataFlows": [{"streams": ["Custom-NetworkAppliance"], "destinations": ["vigil"],
                "transformKql": "source | where Level <= 4 | project TimeGenerated = Time, Computer = Host, SyslogMessage = Text, SeverityLevel = case(Level <= 2, 'crit', 'warning'), Facility = 'local4', ApplianceModel = 'fw-9000'",
                "outputStream": "Microsoft-Syslog"}]}}
            """;

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    @Test
    void aFlowIntoABuiltInTableStoresTheTransformedRows() throws Exception {
        Path rule = Files.writeString(files.resolve("rule.json"), RULE, UTF_8);
        List<String> created = CliRun.run("dcr", "create", "--data", dataDir.toString(), rule.toString())
                .successLines();
        assertThat(created).contains("  Custom-NetworkAppliance -> Syslog");
        try (IngestionTestServer server = new IngestionTestServer(dataDir)) {
            String body = """
                    [{"Time": "2026-12-01T10:00:00Z", "Host": "fw-1", "Text": "link down on port 3", "Level": 2},
                     {"Time": "2026-12-01T10:00:01Z", "Host": "fw-1", "Text": "debug chatter", "Level": 7},
                     {"Time": "2026-12-01T10:00:02Z", "Host": "fw-2", "Text": "fan speed high", "Level": 4}]
                    """;
            HttpResponse<String> response = post(server, created.getFirst(), body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
            assertThat(
                            server.query(
                                    "Syslog | order by TimeGenerated asc"
                                            + " | project format_datetime(TimeGenerated, 'yyyy-MM-dd HH:mm:ss'), Computer, SyslogMessage, SeverityLevel, Facility"))
                    .containsExactly(
                            List.of("2026-12-01 10:00:00", "fw-1", "link down on port 3", "crit", "local4"),
                            List.of("2026-12-01 10:00:02", "fw-2", "fan speed high", "warning", "local4"));
            assertThat(server.runtime
                            .metrics()
                            .value(
                                    "repairs_total",
                                    "input",
                                    "logs_ingestion",
                                    "source",
                                    created.getFirst() + "/Custom-NetworkAppliance",
                                    "format",
                                    DcrFlowFormat.NAME,
                                    "reason",
                                    "unknown_column_dropped"))
                    .isEqualTo(2);
        }
    }

    private static HttpResponse<String> post(IngestionTestServer server, String rule, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dataCollectionRules/" + rule
                        + "/streams/Custom-NetworkAppliance?api-version=2023-01-01"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
