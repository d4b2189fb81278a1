package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.spi.VigilException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil server}'s query limit flags reach the query API, which answers as Log Analytics does. */
class ServerQueryLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theRowLimitFlagCutsApiResults() throws Exception {
        ServerCommand command = parse("--data", dataDir.toString(), "--port", "0", "--query-max-rows", "2");
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir);
                ServerCommand.Running running = command.start(runtime)) {
            HttpResponse<String> response =
                    ApiQueries.post(running, runtime, "datatable(x:long) [1, 2, 3] | order by x asc");

            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("tables").get(0).path("rows")).hasSize(2);
            assertThat(body.path("error").path("code").asText()).isEqualTo("PartialError");
            assertThat(body.path("error").path("details").get(0).path("message").asText())
                    .contains("record count limit of 2");
            assertThat(body.path("error").path("details").get(0).path("code").asText())
                    .isEqualTo("E_QUERY_RESULT_SET_TOO_LARGE");
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aQueryOverTheTimeoutFlagIsAGatewayTimeoutRecordedInLaQueryLogs() throws Exception {
        ServerCommand command = parse("--data", dataDir.toString(), "--port", "0", "--query-timeout", "PT0.3S");
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir);
                ServerCommand.Running running = command.start(runtime)) {
            // about 10^11 joined rows: only the timeout ends it within the test's bound
            String slow = "range x from 1 to 100000 step 1 | extend k = 1"
                    + " | join kind=inner (range y from 1 to 1000000 step 1 | extend k = 1) on k | count";
            HttpResponse<String> response = ApiQueries.post(running, runtime, slow);

            // Log Analytics answers a query over its time limit with 504 Gateway Timeout (api/timeouts)
            assertThat(response.statusCode()).isEqualTo(504);
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("GatewayTimeout");
            assertThat(error.path("message").asText()).isEqualTo("Query exceeded the timeout of 300 ms");
            assertThat(error.path("innererror").path("code").asText()).isEqualTo("QUERY_TIMEOUT");

            String audit = "LAQueryLogs | where QueryText startswith 'range x from 1 to 100000 step 1'"
                    + " | project ResponseCode";
            JsonNode rows = JSON.createArrayNode();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (rows.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                rows = JSON.readTree(ApiQueries.post(running, runtime, audit).body())
                        .path("tables")
                        .path(0)
                        .path("rows");
            }
            assertThat(rows.toString()).isEqualTo("[[504]]");
        }
    }

    @Test
    void badLimitsAreRefusedBeforeTheServerStarts() {
        assertThatThrownBy(() -> parse("--data", dataDir.toString(), "--query-timeout", "soon")
                        .server
                        .queries
                        .limits())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--query-timeout 'soon'");
        assertThatThrownBy(() -> parse("--data", dataDir.toString(), "--query-max-rows", "0")
                        .server
                        .queries
                        .limits())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("row limit");
        assertThat(parse("--data", dataDir.toString(), "--query-timeout", "90s")
                        .server
                        .queries
                        .limits()
                        .timeout())
                .isEqualTo(Duration.ofSeconds(90));
    }

    private static ServerCommand parse(String... flags) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(flags);
        return command;
    }
}
