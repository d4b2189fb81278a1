package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation's copy-paste examples of the HTTP inputs (docs/collecting.md), run as they are written (bash, curl, openssl and the
 * {@code vigil} CLI in a child JVM) against a real server, with only the address and the data folder
 * replaced; the rows are then read back through the query API. An example that stops working fails here.
 */
@Timeout(180)
class ReadmeExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE = """
            {"properties": {
              "streamDeclarations": {"Custom-AppAudit": {"columns": [
                {"name": "TimeGenerated", "type": "datetime"},
                {"name": "Computer", "type": "string"},
                {"name": "Message", "type": "string"}]}},
              "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
              "dataFlows": [{"streams": ["Custom-AppAudit"], "destinations": ["vigil"],
                             "transformKql": "source", "outputStream": "Custom-AppAudit_CL"}]}}
            """;

    @TempDir
    Path temp;

    private Path data;
    private VigilRuntime runtime;
    private ServerCommand.Running server;

    @BeforeEach
    void start() throws Exception {
        data = temp.resolve("ws");
        CliRun.run(
                        "dcr",
                        "create",
                        "--data",
                        data.toString(),
                        Files.writeString(temp.resolve("rule.json"), RULE, UTF_8)
                                .toString())
                .successLines();
        runtime = VigilRuntime.open(data);
        server = ServerCommand.start(runtime, ServeOptions.builder().build());
    }

    @AfterEach
    void stop() throws Exception {
        try (VigilRuntime closedLast = runtime;
                ServerCommand.Running closedFirst = server) {
            // closed in reverse order
        }
    }

    @Test
    void dataCollectorExampleSignsLikeAzureAndStoresTheRow() throws Exception {
        assertThat(runExample("data-collector")).containsExactly("200");
        assertThat(awaitRows("AppLogin_CL | project Computer_s, Action_s, Attempts_d, Succeeded_b"))
                .isEqualTo("[[\"web01\",\"login\",3.0,false]]");
    }

    @Test
    void appInsightsExampleIsAcceptedAndStoredAsATrace() throws Exception {
        assertThat(runExample("appinsights"))
                .containsExactly("{\"itemsReceived\":1,\"itemsAccepted\":1,\"errors\":[]}");
        assertThat(awaitRows("AppTraces | project Message, SeverityLevel, AppRoleInstance"))
                .isEqualTo("[[\"checkout started\",1,\"web01\"]]");
    }

    @Test
    void logsIngestionExampleStoresTheRowThroughTheRule() throws Exception {
        assertThat(runExample("logs-ingestion")).containsExactly("204");
        assertThat(awaitRows("AppAudit_CL | project Computer, Message")).isEqualTo("[[\"web01\",\"ok\"]]");
    }

    private List<String> runExample(String name) throws Exception {
        return ReadmeScripts.run(
                name,
                temp,
                Map.of(
                        "http://127.0.0.1:8080",
                        "http://127.0.0.1:" + server.server().port(),
                        "./ws",
                        data.toString()));
    }

    /** Polls the query API until the query returns rows; returns them as JSON text. */
    private String awaitRows(String kql) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode rows = query(kql);
        while (rows.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            rows = query(kql);
        }
        return rows.toString();
    }

    private JsonNode query(String kql) throws Exception {
        JsonNode body = JSON.readTree(ApiQueries.post(server, runtime, kql).body());
        assertThat(body.has("error")).as("query error: %s", body).isFalse();
        return body.path("tables").path(0).path("rows");
    }
}
