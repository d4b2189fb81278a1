package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small bounded load over loopback: concurrent Data Collector and track senders, every request
 * answered 200, and exactly the acknowledged records in the tables. Prints records/s (not asserted).
 */
class IngestionHttpLoadTest {
    private static final int SENDERS = 4;
    private static final int REQUESTS_PER_SENDER = 20;
    private static final int RECORDS_PER_REQUEST = 500;

    @TempDir
    Path dataDir;

    @Test
    void concurrentSendersLoseNothing() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (IngestionTestServer server = new IngestionTestServer(dataDir)) {
            String ikey =
                    InstrumentationKeys.loadOrCreate(server.runtime.workspace()).primary();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS * 2);
            long started = System.nanoTime();
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int sender = 0; sender < SENDERS; sender++) {
                    int id = sender;
                    results.add(senders.submit(() -> sendDataCollector(http, server, id)));
                    results.add(senders.submit(() -> sendTrack(http, server, ikey, id)));
                }
                for (Future<Integer> result : results) {
                    assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(REQUESTS_PER_SENDER);
                }
            } finally {
                senders.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long expected = (long) SENDERS * REQUESTS_PER_SENDER * RECORDS_PER_REQUEST;
            assertThat(server.count("SELECT count(*) FROM LoadTest_CL")).isEqualTo(expected);
            assertThat(server.count("SELECT count(DISTINCT Seq_s) FROM LoadTest_CL"))
                    .isEqualTo(expected);
            assertThat(server.count("SELECT count(*) FROM AppTraces")).isEqualTo(expected);
            assertThat(server.count("SELECT count(*) FROM VigilDeadLetter")).isZero();
            System.out.printf(
                    Locale.ROOT,
                    "ingestion http load: %d records (%d data collector + %d track) in %.2f s = %.0f records/s%n",
                    2 * expected,
                    expected,
                    expected,
                    seconds,
                    2 * expected / seconds);
        }
    }

    private static int sendDataCollector(HttpClient http, IngestionTestServer server, int sender) throws Exception {
        int ok = 0;
        for (int request = 0; request < REQUESTS_PER_SENDER; request++) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"Seq\":\"")
                        .append(sender)
                        .append('-')
                        .append(request)
                        .append('-')
                        .append(i)
                        .append("\",\"Computer\":\"vm-")
                        .append(i % 20)
                        .append("\",\"Bytes\":")
                        .append(i * 17)
                        .append(",\"Allowed\":")
                        .append(i % 3 == 0)
                        .append('}');
            }
            byte[] body = json.append(']').toString().getBytes(UTF_8);
            String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
            String signature =
                    SharedKeySignature.sign(server.runtime.workspace().sharedKey(), body.length, date);
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("Log-Type", "LoadTest")
                            .header("x-ms-date", date)
                            .header(
                                    "Authorization",
                                    "SharedKey " + server.runtime.workspace().workspaceId() + ":" + signature)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ok++;
        }
        return ok;
    }

    private static int sendTrack(HttpClient http, IngestionTestServer server, String ikey, int sender)
            throws Exception {
        int ok = 0;
        for (int request = 0; request < REQUESTS_PER_SENDER; request++) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
                ndjson.append("{\"name\":\"Microsoft.ApplicationInsights.Message\",\"time\":\"2026-11-25T10:00:00Z\",")
                        .append("\"iKey\":\"")
                        .append(ikey)
                        .append("\",\"data\":{\"baseType\":\"MessageData\",")
                        .append("\"baseData\":{\"message\":\"m ")
                        .append(sender)
                        .append('-')
                        .append(request)
                        .append('-')
                        .append(i)
                        .append("\",\"severityLevel\":1}}}\n");
            }
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/track"))
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ok++;
        }
        return ok;
    }
}
