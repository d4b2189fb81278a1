package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.cli.CliRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil keys} against a running server: a key created by the CLI works within seconds with its role's
 * rights (a reader may query but not send data; a contributor may send), and a revoked key stops working.
 */
@Timeout(120)
class KeysCommandTest {
    private static final String RULE = """
            {"properties": {
              "streamDeclarations": {"Custom-Notes": {"columns": [{"name": "Text", "type": "string"}]}},
              "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
              "dataFlows": [{"streams": ["Custom-Notes"], "destinations": ["vigil"], "transformKql": "source",
                             "outputStream": "Custom-Notes_CL"}]}}
            """;

    @TempDir
    Path temp;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void keysCreatedAndRevokedByTheCliTakeEffectInTheRunningServer() throws Exception {
        Path data = temp.resolve("ws");
        String rule = CliRun.run(
                        "dcr",
                        "create",
                        "--data",
                        data.toString(),
                        Files.writeString(temp.resolve("rule.json"), RULE, UTF_8)
                                .toString())
                .successLines()
                .getFirst();
        try (VigilRuntime runtime = VigilRuntime.open(data);
                ServerCommand.Running server =
                        ServerCommand.start(runtime, ServeOptions.builder().build())) {
            String base = "http://127.0.0.1:" + server.server().port();
            String query = base + "/v1/workspaces/" + runtime.workspace().workspaceId() + "/query";
            String ingest = base + "/dataCollectionRules/" + rule + "/streams/Custom-Notes?api-version=2023-01-01";

            CliRun created = CliRun.run("keys", "create", "--data", data.toString(), "--principal", "soc-analyst");
            String readerKey = created.successLines().getFirst();
            assertThat(readerKey).startsWith("vgl_");
            assertThat(created.err()).contains("soc-analyst (reader)");
            String contributorKey = CliRun.run(
                            "keys",
                            "create",
                            "--data",
                            data.toString(),
                            "--principal",
                            "app-shipper",
                            "--role",
                            "contributor")
                    .successLines()
                    .getFirst();

            awaitStatus(() -> post(query, readerKey, "{\"query\":\"print 1\"}"), 200);
            HttpResponse<String> refused = send(ingest, readerKey, "[{\"Text\":\"from a reader\"}]");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("InsufficientAccessError", "soc-analyst", "reader");
            assertThat(send(ingest, contributorKey, "[{\"Text\":\"from a contributor\"}]")
                            .statusCode())
                    .isEqualTo(204);

            List<String> listed =
                    CliRun.run("keys", "list", "--data", data.toString()).successLines();
            assertThat(listed.getFirst()).startsWith("PRINCIPAL");
            assertThat(listed)
                    .anyMatch(line -> line.matches("admin +admin +\\d{4}-.*"))
                    .anyMatch(line -> line.matches("soc-analyst +reader +\\d{4}-.*"))
                    .anyMatch(line -> line.matches("app-shipper +contributor +\\d{4}-.*"));
            assertThat(String.join("\n", listed)).doesNotContain(readerKey);

            assertThat(CliRun.run("keys", "revoke", "--data", data.toString(), "soc-analyst")
                            .successLines())
                    .containsExactly("revoked the key of soc-analyst");
            awaitStatus(() -> post(query, readerKey, "{\"query\":\"print 1\"}"), 401);
            // the other keys are untouched
            assertThat(post(query, contributorKey, "{\"query\":\"Notes_CL | count\"}"))
                    .isEqualTo(200);
        }
    }

    @Test
    void mistakesAreRefused() throws Exception {
        Path data = temp.resolve("ws");
        assertThat(CliRun.run("keys", "create", "--data", data.toString(), "--principal", "x", "--role", "root")
                        .err())
                .contains("unknown role 'root'");
        assertThat(CliRun.run("keys", "create", "--data", data.toString(), "--principal", "bad name")
                        .err())
                .contains("principal names are");
        CliRun.run("keys", "create", "--data", data.toString(), "--principal", "siem")
                .successLines();
        CliRun again = CliRun.run("keys", "create", "--data", data.toString(), "--principal", "siem");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("'siem' already has a key");
        CliRun lastAdmin = CliRun.run("keys", "revoke", "--data", data.toString(), "admin");
        assertThat(lastAdmin.exit()).isEqualTo(2);
        assertThat(lastAdmin.err()).contains("last admin key");
        assertThat(CliRun.run("keys", "revoke", "--data", data.toString(), "nobody")
                        .exit())
                .isEqualTo(1);
    }

    private static void awaitStatus(IntSupplier status, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int last = status.getAsInt();
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = status.getAsInt();
        }
        assertThat(last).isEqualTo(expected);
    }

    private int post(String url, String key, String body) {
        try {
            return send(url, key, body).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String url, String key, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
