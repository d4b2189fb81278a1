package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.spi.VigilException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil server}'s query limit flags reach the query API. */
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
        }
    }

    @Test
    void badLimitsAreRefusedBeforeTheServerStarts() {
        assertThatThrownBy(() -> parse("--data", dataDir.toString(), "--query-timeout", "soon")
                        .queries
                        .limits())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--query-timeout 'soon'");
        assertThatThrownBy(() -> parse("--data", dataDir.toString(), "--query-max-rows", "0")
                        .queries
                        .limits())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("row limit");
        assertThat(parse("--data", dataDir.toString(), "--query-timeout", "90s")
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
