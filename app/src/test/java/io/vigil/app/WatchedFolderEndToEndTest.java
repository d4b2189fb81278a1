package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil server --watch DIR} over a folder laid out as Azure writes a storage export of diagnostic settings
 * ({@code insights-activity-logs/resourceId=…/y=…/m=…/d=…/h=…/m=00/PT1H.json}, one record per line, appended
 * during the hour): lines appended while the server runs are stored, a restarted server resumes where it left
 * off and stores nothing twice, and the rows are read back through the query API.
 */
@Timeout(120)
class WatchedFolderEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void appendedBlobLinesAreStoredOnceAcrossARestart() throws Exception {
        Path container = Files.createDirectories(temp.resolve("insights-activity-logs"));
        Path blob = Files.createDirectories(container.resolve(
                        "resourceId=/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111/RESOURCEGROUPS/PROD-RG"
                                + "/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1/y=2026/m=12/d=02/h=10/m=00"))
                .resolve("PT1H.json");
        String[] flags = {"--data", temp.resolve("ws").toString(), "--port", "0", "--watch", container.toString()};

        append(blob, record(1), record(2));
        runServer(flags, () -> {}, 2);
        // Azure appends to the hour's blob while the server is down and while it runs again
        append(blob, record(3));
        runServer(flags, () -> append(blob, record(4), record(5)), 5);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void runServer(String[] flags, Step whileRunning, int expectedRows) throws Exception {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(flags);
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir);
                ServerCommand.Running running = command.start(runtime)) {
            whileRunning.run();
            String kql = "AzureActivity | summarize Rows = count(), Operations = dcount(CorrelationId)";
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            JsonNode row = counts(running, runtime, kql);
            while (row.path(0).asLong() < expectedRows && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                row = counts(running, runtime, kql);
            }
            assertThat(row.toString()).isEqualTo("[" + expectedRows + "," + expectedRows + "]");
        }
    }

    private static JsonNode counts(ServerCommand.Running running, VigilRuntime runtime, String kql) throws Exception {
        JsonNode body = JSON.readTree(ApiQueries.post(running, runtime, kql).body());
        return body.path("tables").path(0).path("rows").path(0);
    }

    private static void append(Path blob, String... lines) throws Exception {
        Files.writeString(
                blob, String.join("\n", lines) + "\n", UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String record(int number) {
        return "{\"time\":\"2026-12-02T10:0" + number + ":00.0000000Z\",\"resourceId\":\"/SUBSCRIPTIONS/11111111-"
                + "1111-1111-1111-111111111111/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1\","
                + "\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/RESTART/ACTION\",\"category\":\"Administrative\","
                + "\"resultType\":\"Success\",\"callerIpAddress\":\"198.51.100.7\",\"correlationId\":\""
                + String.format("4b1c7e6a-1b3f-4c5d-8e9f-%012d", number)
                + "\",\"level\":\"Information\",\"properties\":{\"statusCode\":\"OK\"}}";
    }
}
