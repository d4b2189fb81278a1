package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.VigilRuntime;
import io.vigil.app.VigilServer;
import io.vigil.app.http.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and careless queries through the real server (issue 10, items 2, 5, 6, 10, 11): each gets a 200 or a
 * 4xx with a diagnostic, never a 500, and the server answers the next query and /health afterwards.
 */
class QueryHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private VigilRuntime runtime;
    private VigilServer server;
    private String key;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        runtime = VigilRuntime.open(dataDir);
        ApiKeys keys = ApiKeys.load(runtime.workspace());
        key = Files.readString(keys.createdAdminKey().orElseThrow()).trim();
        server = VigilServer.builder(runtime, keys).build();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        runtime.close();
    }

    private HttpResponse<String> post(String workspace, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/workspaces/" + workspace + "/query"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> query(String kql) throws Exception {
        return post(
                runtime.workspace().workspaceId(),
                JSON.createObjectNode().put("query", kql).toString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void anUnknownWorkspaceIs404AndTheDefaultAliasNamesThisOne() throws Exception {
        HttpResponse<String> unknown = post("not-a-workspace", "{\"query\":\"print x=1\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("error").path("code").asText()).isEqualTo("WorkspaceNotFoundError");
        assertThat(post("default", "{\"query\":\"print x=1\"}").statusCode()).isEqualTo(200);
        String upper = runtime.workspace().workspaceId().toUpperCase(java.util.Locale.ROOT);
        assertThat(post(upper, "{\"query\":\"print x=1\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String padding = "x".repeat(QueryApi.MAX_BODY_BYTES);
        HttpResponse<String> response =
                post(runtime.workspace().workspaceId(), "{\"query\":\"print x=1\",\"pad\":\"" + padding + "\"}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("PayloadTooLargeError");
        assertThat(query("print x=1").statusCode()).isEqualTo(200);
    }

    @Test
    void longFlatExpressionsAndPipelinesAnswerRows() throws Exception {
        String thousandOrs =
                IntStream.range(0, 1000).mapToObj(index -> "x == " + index).collect(Collectors.joining(" or "));
        HttpResponse<String> ors = query("print x = 7 | where " + thousandOrs);
        assertThat(ors.statusCode()).as(ors.body()).isEqualTo(200);
        assertThat(json(ors).path("tables").path(0).path("rows").size()).isEqualTo(1);

        String thousandWheres = IntStream.range(0, 1000)
                .mapToObj(index -> "| where x >= -" + index)
                .collect(Collectors.joining(" "));
        HttpResponse<String> wheres = query("print x = 7 " + thousandWheres);
        assertThat(wheres.statusCode()).as(wheres.body()).isEqualTo(200);
        assertThat(json(wheres).path("tables").path(0).path("rows").size()).isEqualTo(1);

        String tenThousandOrs =
                IntStream.range(0, 10_000).mapToObj(index -> "x == " + index).collect(Collectors.joining(" or "));
        HttpResponse<String> many = query("print x = 7 | where " + tenThousandOrs);
        assertThat(many.statusCode()).as(many.body()).isIn(200, 400);

        String deep = "(".repeat(5000) + "x" + ")".repeat(5000);
        HttpResponse<String> nested = query("print x = 1 | where " + deep + " == 1");
        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(query("print x=1").statusCode()).isEqualTo(200);
    }

    @Test
    void callerErrorsInTheStoreAre400WithoutSql() throws Exception {
        for (String kql : new String[] {
            "print x = extract('(a)\\\\1', 0, 'aa')",
            "print x = extract('a(?=b)', 0, 'ab')",
            "print x = extract('[', 0, 'ab')",
            "print x = extract_json('$[[', '{}')"
        }) {
            HttpResponse<String> response = query(kql);
            assertThat(response.statusCode()).as(kql + " " + response.body()).isEqualTo(400);
            assertThat(response.body()).doesNotContain("SELECT", "Error: ", "java.");
            assertThat(json(response)
                            .path("error")
                            .path("innererror")
                            .path("innererror")
                            .path("kqlCode")
                            .asText())
                    .isNotEmpty();
        }
    }

    @Test
    void rangesAreGeneratedLazilyAndTheRangeFunctionIsCut() throws Exception {
        HttpResponse<String> sum = query("range x from 1 to 20000000 step 1 | summarize sum(x)");
        assertThat(sum.statusCode()).as(sum.body()).isEqualTo(200);
        assertThat(json(sum).path("tables").path(0).path("rows").path(0).path(0).asLong())
                .isEqualTo(20_000_000L * 20_000_001L / 2);
        // range(): at most 2^20 elements, as Kusto cuts it (range-function)
        HttpResponse<String> array = query("print n = array_length(range(1, 100000000, 1))");
        assertThat(array.statusCode()).as(array.body()).isEqualTo(200);
        assertThat(json(array)
                        .path("tables")
                        .path(0)
                        .path("rows")
                        .path(0)
                        .path(0)
                        .asLong())
                .isEqualTo(1L << 20);
        assertThat(query("print x=1").statusCode()).isEqualTo(200);
    }

    @Test
    void theStoreRunsUnderADeliberateMemoryLimitAndTemporaryDirectory() throws Exception {
        try (Connection connection = runtime.store().newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('memory_limit'),"
                        + " current_setting('temp_directory'), current_setting('max_temp_directory_size')")) {
            rows.next();
            assertThat(rows.getString(1)).isNotBlank();
            assertThat(rows.getString(2))
                    .isEqualTo(dataDir.resolve("tmp").toAbsolutePath().toString());
            assertThat(rows.getString(3)).isEqualTo("10.0 GiB");
        }
    }

    @Test
    void closingTheServerCancelsARunningQuery() throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return query("range x from 1 to 100000000000 step 1 | summarize sum(x)");
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        // the query is running once DuckDB has started it; a bounded wait, then close as SIGTERM's hook does
        Thread.sleep(1500);
        assertThat(running).isNotDone();
        long started = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(running.handle((response, failure) -> response == null || response.statusCode() != 200)
                        .get(10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
    }
}
