package io.vigil.app.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.app.VigilServer;
import io.vigil.app.http.ApiKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every query through the API lands in LAQueryLogs with its caller, response code and row count. */
class QueryAuditTest {
    @TempDir
    Path dataDir;

    @Test
    void queriesAndFailedQueriesAreAuditedWithTheirCaller() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            String key = Files.readString(keys.createdAdminKey().orElseThrow()).trim();
            try (VigilServer server = VigilServer.builder(runtime, keys).build()) {
                server.start();
                String base = "http://127.0.0.1:" + server.port() + "/v1/workspaces/"
                        + runtime.workspace().workspaceId() + "/query?timespan=PT1H&query=";
                HttpClient client = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                for (String query : List.of("print x = 1", "Syslog | where NoSuchColumn == 1")) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + URLEncoder.encode(query, UTF_8)))
                            .header("Authorization", "Bearer " + key)
                            .header("User-Agent", "audit-test")
                            .timeout(Duration.ofSeconds(30))
                            .build();
                    client.send(request, HttpResponse.BodyHandlers.ofString());
                }
            }
            QueryService service = new QueryService(
                    runtime.store(), runtime.clock(), QueryService.DEFAULT_TIMEOUT, QueryService.DEFAULT_MAX_ROWS);
            String audit = "LAQueryLogs | where RequestClientApp == 'audit-test'"
                    + " | project QueryText, AADEmail, ResponseCode, ResponseRowCount, QueryTimeRangeStart"
                    + " | sort by ResponseCode asc";
            List<List<Object>> rows = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (rows.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                rows = service.execute(audit, Optional.empty()).rows();
            }
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0))
                    .containsExactly("print x = 1", "admin", 200, 1, rows.get(0).get(4));
            assertThat(rows.get(0).get(4)).isNotNull();
            assertThat(rows.get(1).subList(0, 4)).containsExactly("Syslog | where NoSuchColumn == 1", "admin", 400, 0);
        }
    }
}
