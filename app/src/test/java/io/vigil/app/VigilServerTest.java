package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.http.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on 127.0.0.1 with the JDK's HTTP client: health without auth, everything else with the admin key. */
class VigilServerTest {
    @TempDir
    Path dataDir;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOpenAndEverythingElseNeedsTheAdminKey() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            Path keyFile = keys.createdAdminKey().orElseThrow();
            assertThat(keyFile).isEqualTo(dataDir.resolve("secrets/admin.key"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                    .isEqualTo("rw-------");
            String key = Files.readString(keyFile).trim();
            assertThat(Files.readString(dataDir.resolve("secrets/keys.json"))).doesNotContain(key);

            try (VigilServer server = VigilServer.builder(runtime, keys).build()) {
                server.start();
                String base = "http://127.0.0.1:" + server.port();

                HttpResponse<String> health = get(base + "/health", null);
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"store\":\"open\"", "\"ingest\":\"running\"");

                HttpResponse<String> anonymous = get(base + "/metrics", null);
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(anonymous.body()).contains("\"error\"", "AuthorizationRequiredError");
                assertThat(get(base + "/metrics", "vgl_wrong").statusCode()).isEqualTo(401);

                runtime.pipeline()
                        .ingest(
                                "test",
                                "inline",
                                "[{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"vm\"}]"
                                        .getBytes(),
                                java.util.Optional.empty());
                HttpResponse<String> metrics = get(base + "/metrics", key);
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("text/plain");
                assertThat(metrics.body())
                        .contains("# TYPE events_received_total counter")
                        .contains("events_received_total{input=\"test\",format=\"json_table\"} 1")
                        .contains("bytes_received_total{input=\"test\"}")
                        .contains("store_rows_committed_total{table=\"Heartbeat\"} 1");

                assertThat(get(base + "/nope", key).statusCode()).isEqualTo(404);
            }
        }
        // a second start keeps the key and does not write a new one
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            assertThat(ApiKeys.load(runtime.workspace()).createdAdminKey()).isEmpty();
        }
    }

    @Test
    void tablesCommandListsWrittenTablesAndWithAllEveryCatalogTable() throws Exception {
        List<String> fresh = tablesCommandLines("tables", "--data", dataDir.toString());
        // a new workspace has written nothing but knows every table of the reference
        assertThat(fresh).containsExactly("VigilDeadLetter 0");
        List<String> all = tablesCommandLines("tables", "--all", "--data", dataDir.toString());
        assertThat(all)
                .contains(
                        "SigninLogs 0",
                        "AzureActivity 0",
                        "VigilDeadLetter 0",
                        "AzureNetworkAnalytics_CL 0",
                        "AZFWIdpsSignature 0",
                        "CoreAzureBackup 0");
        assertThat(all).hasSize(io.vigil.catalog.TableCatalog.builtIn().tables().size() + 1);
        assertThat(all).allMatch(line -> line.matches("\\w+ \\d+"));
    }

    private static List<String> tablesCommandLines(String... arguments) {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            exit = VigilMain.run(arguments);
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .toList();
    }
}
