package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil server} as its own process, stopped with SIGTERM while a long query runs (issue 10): the
 * shutdown hook cancels the query in DuckDB, so the process exits within seconds instead of finishing it.
 */
class ServerSigtermTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sigtermStopsTheServerWhileAQueryRuns() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        VigilMain.class.getName(),
                        "server",
                        "--data",
                        dataDir.toString(),
                        "--port",
                        "0",
                        "--store-memory-limit",
                        "256MB")
                .redirectErrorStream(true)
                .start();
        try {
            int port = awaitPort(server);
            String key = Files.readString(dataDir.resolve("secrets").resolve("admin.key"))
                    .trim();
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            // about 10^11 rows to sum: minutes of work that only cancellation ends early
            String body = "{\"query\":\"range x from 1 to 100000000000 step 1 | summarize sum(x)\"}";
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/workspaces/default/query"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            CompletableFuture<HttpResponse<String>> query =
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            // a bounded wait until DuckDB is at work on it
            Thread.sleep(2000);
            assertThat(query).isNotDone();

            long signalled = System.nanoTime();
            server.destroy(); // SIGTERM
            boolean exited = server.waitFor(20, TimeUnit.SECONDS);

            assertThat(exited).as("the server exited after SIGTERM").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(20));
            assertThat(query.handle((response, failure) -> response == null || response.statusCode() != 200)
                            .get(20, TimeUnit.SECONDS))
                    .isTrue();
        } finally {
            server.destroyForcibly();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Reads the server's output until it says where it listens; the rest is drained so it never blocks. */
    private static int awaitPort(Process server) throws Exception {
        BufferedReader output =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            Matcher matcher = LISTENING.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> {}));
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(matcher.group(1));
            }
        }
        throw new AssertionError("the server exited before it listened: " + server.waitFor());
    }
}
