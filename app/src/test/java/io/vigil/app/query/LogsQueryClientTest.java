package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.core.util.Context;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.monitor.query.models.LogsQueryOptions;
import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.LogsQueryResultStatus;
import com.azure.monitor.query.models.LogsTable;
import com.azure.monitor.query.models.LogsTableRow;
import com.azure.monitor.query.models.QueryTimeInterval;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.VigilRuntime;
import io.vigil.app.VigilServer;
import io.vigil.app.http.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: rows ingested through the real pipeline, the real server on 127.0.0.1 and the real Azure
 * SDK {@code LogsQueryClient} over plain HTTP with a bearer API key.
 */
class LogsQueryClientTest {
    @TempDir
    Path dataDir;

    @Test
    void azureSdkQueriesIngestedRows() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            String key = Files.readString(keys.createdAdminKey().orElseThrow()).trim();
            String now = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).toString();
            String earlier = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3).toString();
            String heartbeats = "[{\"TimeGenerated\":\"" + now + "\",\"Type\":\"Heartbeat\",\"Computer\":\"vm-1\"},"
                    + "{\"TimeGenerated\":\"" + now + "\",\"Type\":\"Heartbeat\",\"Computer\":\"vm-2\"},"
                    + "{\"TimeGenerated\":\"" + now + "\",\"Type\":\"Heartbeat\",\"Computer\":\"vm-1\"},"
                    + "{\"TimeGenerated\":\"" + earlier + "\",\"Type\":\"Heartbeat\",\"Computer\":\"vm-old\"}]";
            runtime.pipeline().ingest("test", "inline", heartbeats.getBytes(StandardCharsets.UTF_8), Optional.empty());

            try (VigilServer server = VigilServer.builder(runtime, keys).build()) {
                server.start();
                LogsQueryClient client = new LogsQueryClientBuilder()
                        .pipeline(new HttpPipelineBuilder()
                                .policies(new AddHeadersPolicy(new HttpHeaders().set("Authorization", "Bearer " + key)))
                                .build())
                        .endpoint("http://127.0.0.1:" + server.port() + "/v1")
                        .buildClient();
                String workspace = runtime.workspace().workspaceId();

                LogsQueryResult result = client.queryWorkspace(
                        workspace,
                        "Heartbeat | summarize Beats = count() by Computer | sort by Computer asc",
                        new QueryTimeInterval(Duration.ofDays(1)));
                LogsTable table = result.getTable();
                List<LogsTableRow> rows = table.getRows();
                assertThat(rows).hasSize(2);
                // this SDK version leaves LogsTable.getColumns() empty; the cells carry the column names
                assertThat(rows.get(0).getRow())
                        .extracting(cell -> cell.getColumnName())
                        .containsExactly("Computer", "Beats");
                assertThat(rows.get(0).getColumnValue("Computer").orElseThrow().getValueAsString())
                        .isEqualTo("vm-1");
                assertThat(rows.get(0).getColumnValue("Beats").orElseThrow().getValueAsLong())
                        .isEqualTo(2L);
                assertThat(rows.get(1).getColumnValue("Computer").orElseThrow().getValueAsString())
                        .isEqualTo("vm-2");

                // without the time range, the old row counts too; datetimes come back as datetimes
                LogsQueryResult all = client.queryWorkspace(
                        workspace,
                        "Heartbeat | where Computer startswith 'vm' | project TimeGenerated, Computer | take 10",
                        QueryTimeInterval.ALL);
                assertThat(all.getTable().getRows()).hasSize(4);
                assertThat(all.getTable()
                                .getRows()
                                .get(0)
                                .getColumnValue("TimeGenerated")
                                .orElseThrow()
                                .getValueAsDateTime())
                        .isNotNull();

                // a render hint reaches a client that asks for the visualization (render-operator)
                LogsQueryResult chart = client.queryWorkspaceWithResponse(
                                workspace,
                                "Heartbeat | summarize count() by Computer | render barchart with (title='Beats', xcolumn=Computer)",
                                QueryTimeInterval.ALL,
                                new LogsQueryOptions().setIncludeVisualization(true),
                                Context.NONE)
                        .getValue();
                assertThat(chart.getTable().getRows()).hasSize(3);
                JsonNode visualization =
                        new ObjectMapper().readTree(chart.getVisualization().toString());
                assertThat(visualization.path("visualization").asText()).isEqualTo("barchart");
                assertThat(visualization.path("title").asText()).isEqualTo("Beats");
                assertThat(visualization.path("xColumn").asText()).isEqualTo("Computer");
                assertThat(client.queryWorkspace(workspace, "Heartbeat | count | render card", QueryTimeInterval.ALL)
                                .getVisualization())
                        .as("no hint unless asked for")
                        .isNull();

                assertThatThrownBy(() -> client.queryWorkspace(
                                workspace, "Heartbeat | where NoSuchColumn == 1", QueryTimeInterval.ALL))
                        .isInstanceOf(HttpResponseException.class)
                        .hasMessageContaining("NoSuchColumn");

                // a fuzzy union that leaves out a leg is a partial success: the rows and a PartialError
                String fuzzy = "union isfuzzy=true (Heartbeat | where Computer == 'vm-2'), (NoSuchTable | take 1)";
                LogsQueryResult partial = client.queryWorkspaceWithResponse(
                                workspace,
                                fuzzy,
                                QueryTimeInterval.ALL,
                                new LogsQueryOptions().setAllowPartialErrors(true),
                                Context.NONE)
                        .getValue();
                assertThat(partial.getQueryResultStatus()).isEqualTo(LogsQueryResultStatus.PARTIAL_FAILURE);
                assertThat(partial.getTable().getRows()).hasSize(1);
                assertThat(partial.getError().getCode()).isEqualTo("PartialError");

                // the raw error shape (ErrorInfo): details with the diagnostic's code and position, then an
                // inner error chain down to the first diagnostic
                HttpResponse<String> error = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                                + "/v1/workspaces/" + workspace + "/query"))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"Heartbeat | where\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(error.statusCode()).isEqualTo(400);
                JsonNode body = new ObjectMapper().readTree(error.body()).path("error");
                assertThat(body.path("code").asText()).isEqualTo("BadArgumentError");
                assertThat(body.path("details")).singleElement().satisfies(detail -> {
                    assertThat(detail.path("code").asText()).isEqualTo("KQL102");
                    assertThat(detail.path("target").asText()).isEqualTo("query");
                    assertThat(detail.path("additionalProperties").path("line").asInt())
                            .isEqualTo(1);
                    assertThat(detail.path("additionalProperties").path("pos").asInt())
                            .isEqualTo(18);
                    assertThat(detail.has("innererror"))
                            .as("ErrorDetail has no innererror")
                            .isFalse();
                });
                assertThat(body.path("innererror").path("code").asText()).isEqualTo("SyntaxError");
                JsonNode innermost = body.path("innererror").path("innererror");
                assertThat(innermost.path("code").asText()).isEqualTo("SYN0002");
                assertThat(innermost.path("kqlCode").asText()).isEqualTo("KQL102");
                assertThat(innermost.path("line").asInt()).isEqualTo(1);
                assertThat(innermost.path("pos").asInt()).isEqualTo(18);
                HttpResponse<String> get = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                                + "/v1/workspaces/" + workspace + "/query?query=print%20x%3D1"))
                                        .header("Authorization", "Bearer " + key)
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(get.statusCode()).isEqualTo(200);
                assertThat(get.body())
                        .isEqualTo("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"x\","
                                + "\"type\":\"long\"}],\"rows\":[[1]]}]}\n");
            }
        }
    }
}
