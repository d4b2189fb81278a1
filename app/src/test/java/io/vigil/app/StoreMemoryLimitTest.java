package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A query that needs more memory than {@code --store-memory-limit} gives DuckDB, with no disk to spill to,
 * fails with a 400 naming the limit (issue 10), and the server answers /health and the next query.
 */
class StoreMemoryLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aQueryOverTheMemoryLimitIs400AndTheServerGoesOn() throws Exception {
        ServerCommand command = new ServerCommand();
        new CommandLine(command)
                .parseArgs(
                        "--data",
                        dataDir.toString(),
                        "--port",
                        "0",
                        "--store-memory-limit",
                        "64MB",
                        "--store-max-temp-size",
                        "0B");
        try (VigilRuntime runtime = VigilRuntime.open(dataDir, Optional.empty(), command.server.store.resources());
                ServerCommand.Running running = command.start(runtime)) {
            // millions of distinct groups: a hash table far over 64 MB that may not spill
            HttpResponse<String> hungry = ApiQueries.post(
                    running,
                    runtime,
                    "range x from 1 to 20000000 step 1 | summarize count() by k = strcat('group-', x) | count");

            assertThat(hungry.statusCode()).as(hungry.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(hungry.body()).path("error");
            assertThat(error.path("innererror").path("code").asText()).isEqualTo("QUERY_RESOURCES_EXCEEDED");
            assertThat(hungry.body()).contains("memory limit").doesNotContain("SELECT", "java.");

            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> health = client.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + running.server().port() + "/health"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }
            HttpResponse<String> next = ApiQueries.post(running, runtime, "range x from 1 to 1000 step 1 | count");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(JSON.readTree(next.body())
                            .path("tables")
                            .path(0)
                            .path("rows")
                            .path(0)
                            .path(0)
                            .asLong())
                    .isEqualTo(1000);
        }
    }
}
