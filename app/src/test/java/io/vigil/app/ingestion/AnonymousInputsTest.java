package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.cli.CliRun;
import io.vigil.app.http.HttpLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --allow-anonymous}: each HTTP ingestion input stays closed to senders without credentials unless the
 * admin opens it, and an opened input still refuses credentials that are wrong.
 */
class AnonymousInputsTest {
    private static final String RULE = """
            {"properties": {
              "streamDeclarations": {"Custom-Notes": {"columns": [{"name": "Text", "type": "string"}]}},
              "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
              "dataFlows": [{"streams": ["Custom-Notes"], "destinations": ["vigil"], "transformKql": "source",
                             "outputStream": "Custom-Notes_CL"}]}}
            """;
    private static final String ENVELOPE = "[{\"name\":\"Microsoft.ApplicationInsights.Message\","
            + "\"time\":\"2026-12-02T10:00:00Z\",\"iKey\":\"11111111-2222-3333-4444-555555555555\","
            + "\"data\":{\"baseType\":\"MessageData\",\"baseData\":{\"ver\":2,\"message\":\"from any app\"}}}]";

    @TempDir
    Path temp;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void inputsAreClosedToAnonymousSendersByDefault() throws Exception {
        Path data = temp.resolve("closed");
        String rule = rule(data);
        try (IngestionTestServer server = new IngestionTestServer(data)) {
            assertThat(dataCollector(server, null).statusCode()).isEqualTo(403);
            assertThat(logsIngestion(server, rule, null).statusCode()).isEqualTo(401);
            assertThat(track(server).body()).contains("\"itemsAccepted\":0", "Invalid instrumentation key");
        }
    }

    @Test
    void openedInputsTakeAnonymousSendersButStillCheckCredentialsThatAreSent() throws Exception {
        Path data = temp.resolve("open");
        String rule = rule(data);
        HttpLimits open =
                HttpLimits.builder().anonymousInputs(HttpLimits.INPUTS).build();
        try (IngestionTestServer server = new IngestionTestServer(data, open)) {
            assertThat(dataCollector(server, null).statusCode()).isEqualTo(200);
            assertThat(dataCollector(
                                    server,
                                    "SharedKey " + server.runtime.workspace().workspaceId() + ":AAAA")
                            .statusCode())
                    .isEqualTo(403);
            assertThat(logsIngestion(server, rule, null).statusCode()).isEqualTo(204);
            assertThat(logsIngestion(server, rule, "Bearer vgl_wrong").statusCode())
                    .isEqualTo(401);
            assertThat(track(server).body()).contains("\"itemsAccepted\":1");

            assertThat(server.query("Anonymous_CL | project Text_s")).containsExactly(List.of("no key"));
            assertThat(server.query("Notes_CL | project Text")).containsExactly(List.of("no token"));
            assertThat(server.query("AppTraces | project Message, IKey"))
                    .containsExactly(List.of("from any app", "11111111-2222-3333-4444-555555555555"));
        }
    }

    @Test
    void onlyIngestionInputsCanBeOpened() {
        CliRun run = CliRun.run("server", "--data", temp.resolve("x").toString(), "--allow-anonymous", "query");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'query' is not an ingestion input");
    }

    private String rule(Path data) throws Exception {
        Path file = Files.writeString(temp.resolve(data.getFileName() + "-rule.json"), RULE, UTF_8);
        return CliRun.run("dcr", "create", "--data", data.toString(), file.toString())
                .successLines()
                .getFirst();
    }

    private HttpResponse<String> dataCollector(IngestionTestServer server, String authorization) throws Exception {
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now(ZoneOffset.UTC));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                .header("Content-Type", "application/json")
                .header("Log-Type", "Anonymous")
                .header("x-ms-date", date)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"Text\":\"no key\"}]"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> logsIngestion(IngestionTestServer server, String rule, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dataCollectionRules/"
                        + rule + "/streams/Custom-Notes?api-version=2023-01-01"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"Text\":\"no token\"}]"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> track(IngestionTestServer server) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2.1/track"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ENVELOPE))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
