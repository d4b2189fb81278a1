package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.cli.CliRun;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.DataCollectionRules;
import io.vigil.app.workspace.Workspace;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/sources} and {@code vigil sources} on a server started as {@code vigil server} starts it,
 * with real traffic: a syslog TCP sender (good and truncated frames), a watched folder with a line still
 * being written, and an Application Insights request with an unknown key.
 */
@Timeout(120)
class SourcesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RULE = """
            {
              "name": "dcr-health",
              "properties": {
                "streamDeclarations": {
                  "Custom-Health": {"columns": [{"name": "Computer", "type": "string"}]}
                },
                "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
                "dataFlows": [
                  {"streams": ["Custom-Health"], "destinations": ["vigil"], "transformKql": "source",
                   "outputStream": "Custom-Health_CL"}
                ]
              }
            }
            """;

    @TempDir
    Path temp;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void listsEachSourceWithCountsFailuresLastEventAndLag() throws Exception {
        Path watched = Files.createDirectories(temp.resolve("watched"));
        Path blob = watched.resolve("PT1H.json");
        String partial = activity(3).substring(0, 40);
        Files.writeString(blob, activity(1) + "\n" + activity(2) + "\n" + partial, UTF_8);
        int syslogPort = freePort();
        Instant started = Instant.now();
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data"));
                ServerCommand.Running running = ServerCommand.start(
                        runtime,
                        ServeOptions.builder()
                                .syslog(new SyslogOptions(0, syslogPort, 0, Optional.empty()))
                                .feeds(new FeedOptions(Optional.empty(), List.of(watched)))
                                .build())) {
            String base = "http://127.0.0.1:" + running.server().port();
            Path keyFile = temp.resolve("data/secrets/admin.key");
            String key = Files.readString(keyFile).trim();

            // before any traffic every configured source is listed, with nothing counted
            JsonNode idle = sources(base, key);
            assertThat(source(idle, "syslog_tcp", "").path("eventsTotal").asLong())
                    .isZero();
            assertThat(source(idle, "syslog_tcp", "").path("lastEventTime").isNull())
                    .isTrue();
            assertThat(source(idle, "data_collector", "").path("description").asText())
                    .contains("/api/logs");

            try (Socket socket = new Socket("127.0.0.1", syslogPort)) {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 3; i++) {
                    out.write(("<38>Nov 25 10:00:0" + i + " web-1 sshd[77]: session " + i + "\n").getBytes(UTF_8));
                }
                // an octet-counted frame the peer cuts short: dead-lettered as truncated
                out.write("200 <38>1 2026-11-25T10:00:00Z web-1 sshd - - - cut".getBytes(UTF_8));
                out.flush();
            }
            HttpResponse<String> rejected = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v2/track"))
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "[{\"name\":\"Microsoft.ApplicationInsights.Event\","
                                                    + "\"time\":\"2026-11-25T10:00:00Z\",\"iKey\":\"00000000-0000-0000-0000-000000000000\","
                                                    + "\"data\":{\"baseType\":\"EventData\",\"baseData\":{\"ver\":2,\"name\":\"x\"}}}]"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rejected.statusCode()).isBetween(400, 499);

            String folder = watched.toString();
            JsonNode body = awaitSources(
                    base,
                    key,
                    sources -> source(sources, "syslog_tcp", "")
                                            .path("eventsTotal")
                                            .asLong()
                                    == 4
                            && source(sources, "watch", folder)
                                            .path("eventsTotal")
                                            .asLong()
                                    == 2
                            && source(sources, "watch", folder).path("lag").isObject());
            Instant now = Instant.now();

            JsonNode syslog = source(body, "syslog_tcp", "");
            assertThat(syslog.path("description").asText()).contains("syslog on 127.0.0.1:" + syslogPort);
            assertThat(syslog.path("failures").path("truncated").asLong()).isEqualTo(1);
            assertThat(syslog.path("failuresTotal").asLong()).isEqualTo(1);
            assertThat(syslog.path("bytesTotal").asLong()).isPositive();
            assertThat(syslog.path("eventsPerSecond").asDouble()).isPositive();
            Instant last = Instant.parse(syslog.path("lastEventTime").asText());
            assertThat(last).isBetween(started, now);
            assertThat(syslog.path("lag").isNull()).isTrue();

            JsonNode watch = source(body, "watch", folder);
            assertThat(watch.path("description").asText()).isEqualTo("watched folder");
            // the half-written line is what the folder is behind by
            assertThat(watch.path("lag").path("unit").asText()).isEqualTo("bytes");
            assertThat(watch.path("lag").path("value").asLong()).isEqualTo(partial.length());
            assertThat(watch.path("failuresTotal").asLong()).isZero();

            JsonNode appInsights = source(body, "appinsights", "");
            assertThat(appInsights
                            .path("failures")
                            .path("invalid_instrumentation_key")
                            .asLong())
                    .isEqualTo(1);
            assertThat(appInsights.path("eventsTotal").asLong()).isZero();

            // the rest of the line arrives: the lag goes back to 0 at a later scan
            Files.writeString(blob, activity(3).substring(40) + "\n", UTF_8, StandardOpenOption.APPEND);
            JsonNode caughtUp = awaitSources(
                    base,
                    key,
                    sources ->
                            source(sources, "watch", folder).path("eventsTotal").asLong() == 3
                                    && source(sources, "watch", folder)
                                                    .path("lag")
                                                    .path("value")
                                                    .asLong()
                                            == 0);
            assertThat(source(caughtUp, "watch", folder).path("lastEventTime").isTextual())
                    .isTrue();

            // the API needs a key like every other API
            HttpResponse<String> anonymous = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/sources")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);

            List<String> table = cli("sources", "--server", base, "--key-file", keyFile.toString());
            assertThat(table.getFirst()).startsWith("INPUT").contains("EVENTS/S", "LAST EVENT", "LAG");
            assertThat(table)
                    .anySatisfy(
                            line -> assertThat(line).startsWith("syslog_tcp ").contains(" 4 ", "truncated=1"))
                    .anySatisfy(line -> assertThat(line).startsWith("watch ").contains(folder, " 3 ", " 0 bytes"))
                    .anySatisfy(line ->
                            assertThat(line).startsWith("appinsights ").contains("invalid_instrumentation_key=1"));
        }
    }

    @Test
    void requestsRefusedAsAWholeShowAsFailuresOfTheirSourceByReason() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data"));
                ServerCommand.Running running = ServerCommand.start(
                        runtime,
                        ServeOptions.builder()
                                .httpLimits(HttpLimits.builder()
                                        .rateLimit(new HttpLimits.RateLimit(0.01, 1))
                                        .build())
                                .build())) {
            String base = "http://127.0.0.1:" + running.server().port();
            Path keyFile = temp.resolve("data/secrets/admin.key");
            String key = Files.readString(keyFile).trim();
            String ruleId = DataCollectionRules.of(runtime.workspace())
                    .create((ObjectNode) JSON.readTree(RULE))
                    .immutableId();
            Workspace workspace = runtime.workspace();
            String stream = base + "/dataCollectionRules/" + ruleId + "/streams/Custom-Health?api-version=2023-01-01";
            String body = "[{\"Computer\":\"vm-1\"}]";

            // Data Collector API, with a burst of one request: a wrong key, a date 20 minutes old (neither
            // takes a token), a body that is not JSON (takes the token; a dead letter, counted once, as
            // invalid_json), then a post over the rate limit
            String wrongKey = Base64.getEncoder().encodeToString(new byte[64]);
            assertThat(dataCollector(base, workspace, wrongKey, body, Instant.now())
                            .statusCode())
                    .isEqualTo(403);
            assertThat(dataCollector(base, workspace, null, body, Instant.now().minusSeconds(1200))
                            .statusCode())
                    .isEqualTo(403);
            assertThat(dataCollector(base, workspace, null, "[{\"a\":", Instant.now())
                            .statusCode())
                    .isEqualTo(400);
            assertThat(dataCollector(base, workspace, null, body, Instant.now()).statusCode())
                    .isEqualTo(429);

            // Logs Ingestion API, under the DCR stream the requests were for: an unknown key (no token), an
            // oversize body (takes the admin key's token), then a request over the rate limit
            assertThat(post(stream, "vgl_unknown", body.getBytes(UTF_8)).statusCode())
                    .isEqualTo(401);
            byte[] oversize = ("[{\"Computer\":\"" + "x".repeat(1024 * 1024) + "\"}]").getBytes(UTF_8);
            assertThat(post(stream, key, oversize).statusCode()).isEqualTo(413);
            assertThat(post(stream, key, body.getBytes(UTF_8)).statusCode()).isEqualTo(429);
            assertThat(source(sources(base, key), "logs_ingestion", ruleId + "/Custom-Health")
                            .path("description")
                            .isTextual())
                    .isTrue();

            JsonNode sources = awaitSources(
                    base,
                    key,
                    view -> source(view, "data_collector", "")
                                            .path("failuresTotal")
                                            .asLong()
                                    == 4
                            && source(view, "logs_ingestion", ruleId + "/Custom-Health")
                                            .path("failuresTotal")
                                            .asLong()
                                    == 3);
            JsonNode collector = source(sources, "data_collector", "");
            assertThat(collector.path("failures").path("unauthorized").asLong()).isEqualTo(1);
            assertThat(collector.path("failures").path("stale_date").asLong()).isEqualTo(1);
            assertThat(collector.path("failures").path("invalid_json").asLong()).isEqualTo(1);
            assertThat(collector.path("failures").path("rate_limited").asLong()).isEqualTo(1);
            JsonNode logsIngestion = source(sources, "logs_ingestion", ruleId + "/Custom-Health");
            assertThat(logsIngestion.path("failures").path("unauthorized").asLong())
                    .isEqualTo(1);
            assertThat(logsIngestion.path("failures").path("oversize").asLong()).isEqualTo(1);
            assertThat(logsIngestion.path("failures").path("rate_limited").asLong())
                    .isEqualTo(1);
            assertThat(logsIngestion.path("eventsTotal").asLong()).isZero();

            // the same counters in /metrics
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .contains("requests_rejected_total{input=\"data_collector\",reason=\"stale_date\"} 1")
                    .contains("requests_rejected_total{input=\"logs_ingestion\",source=\"" + ruleId
                            + "/Custom-Health\",reason=\"oversize\"} 1");

            List<String> table = cli("sources", "--server", base, "--key-file", keyFile.toString());
            assertThat(table)
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("data_collector ")
                            .contains("stale_date=1", "unauthorized=1", "rate_limited=1"));
        }
    }

    /** A Data Collector post signed as Microsoft's samples sign it (with the workspace's key unless another is given). */
    private HttpResponse<String> dataCollector(
            String base, Workspace workspace, String wrongKey, String json, Instant date) throws Exception {
        String sharedKey = wrongKey;
        if (sharedKey == null) {
            sharedKey = workspace.sharedKey();
        }
        byte[] body = json.getBytes(UTF_8);
        String rfc1123 =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(date.atZone(ZoneOffset.UTC));
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(Base64.getDecoder().decode(sharedKey), "HmacSHA256"));
        String signature = Base64.getEncoder()
                .encodeToString(hmac.doFinal(
                        ("POST\n" + body.length + "\napplication/json\nx-ms-date:" + rfc1123 + "\n/api/logs")
                                .getBytes(UTF_8)));
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/logs?api-version=2016-04-01"))
                        .header("Content-Type", "application/json")
                        .header("Log-Type", "Health")
                        .header("x-ms-date", rfc1123)
                        .header("Authorization", "SharedKey " + workspace.workspaceId() + ":" + signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String key, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode sources(String base, String key) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/sources"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode awaitSources(String base, String key, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        JsonNode body = sources(base, key);
        while (!condition.test(body)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("sources did not reach the expected state in " + WAIT + ": " + body);
            }
            Thread.sleep(100);
            body = sources(base, key);
        }
        return body;
    }

    private static JsonNode source(JsonNode body, String input, String source) {
        for (JsonNode entry : body.path("sources")) {
            if (entry.path("input").asText().equals(input)
                    && entry.path("source").asText().equals(source)) {
                return entry;
            }
        }
        return JSON.createObjectNode();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> cli(String... args) {
        return CliRun.run(args).successLines();
    }

    /** An Activity-log record as diagnostic settings write it to storage, one per line. */
    private static String activity(int number) {
        return "{\"time\":\"2026-11-25T10:17:34.3210000Z\",\"resourceId\":\"/SUBSCRIPTIONS/11111111-1111-1111-1111-"
                + "111111111111/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM" + number
                + "\",\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\",\"category\":\"Administrative\","
                + "\"resultType\":\"Success\",\"callerIpAddress\":\"198.51.100.7\",\"correlationId\":\""
                + String.format("9d2c7e6a-1b3f-4c5d-8e9f-%012d", number) + "\",\"level\":\"Information\","
                + "\"properties\":{\"statusCode\":\"Created\"}}";
    }
}
