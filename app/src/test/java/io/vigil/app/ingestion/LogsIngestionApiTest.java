package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.azure.monitor.ingestion.models.LogsUploadException;
import io.vigil.app.VigilMain;
import io.vigil.app.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The Logs Ingestion API with the real {@code LogsIngestionClient}, data collection rules made by the CLI. */
class LogsIngestionApiTest {
    private static final String RULE = """
            {
              "name": "dcr-app-audit",
              "location": "westeurope",
              "properties": {
                "streamDeclarations": {
                  "Custom-AppAudit": {
                    "columns": [
                      {"name": "TimeGenerated", "type": "datetime"},
                      {"name": "Computer", "type": "string"},
                      {"name": "Attempts", "type": "int"},
                      {"name": "LatencyMs", "type": "real"},
                      {"name": "Succeeded", "type": "boolean"},
                      {"name": "Details", "type": "dynamic"}
                    ]
                  },
                  "Custom-Filtered": {
                    "columns": [{"name": "Computer", "type": "string"}]
                  },
                  "Custom-AppEvents": {
                    "columns": [
                      {"name": "Time", "type": "string"},
                      {"name": "Level", "type": "string"},
                      {"name": "Message", "type": "string"},
                      {"name": "Payload", "type": "string"}
                    ]
                  }
                },
                "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
                "dataFlows": [
                  {"streams": ["Custom-AppAudit"], "destinations": ["vigil"], "transformKql": "source",
                   "outputStream": "Custom-AppAudit_CL"},
                  {"streams": ["Custom-AppAudit"], "destinations": ["vigil"],
                   "transformKql": "source | where Attempts >= 1998 and Succeeded | project TimeGenerated, Computer, Details, LatencyMs",
                   "outputStream": "Custom-AppAuditTop_CL"},
                  {"streams": ["Custom-Filtered"], "destinations": ["vigil"],
                   "transformKql": "source | where Computer != 'noise'", "outputStream": "Custom-Filtered_CL"},
                  {"streams": ["Custom-AppEvents"], "destinations": ["vigil"],
                   "transformKql": "source | where Level != \\"debug\\" | extend TimeGenerated = todatetime(Time) | project-away Time",
                   "outputStream": "Custom-AppEvents_CL"},
                  {"streams": ["Custom-AppEvents"], "destinations": ["vigil"],
                   "transformKql": "source | extend Body = parse_json(Payload) | project TimeGenerated = todatetime(Time), Level, User = tostring(Body.user), Attempts = toint(Body.attempts)",
                   "outputStream": "Custom-AppEventUsers_CL"}
                ]
              }
            }
            """;

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    private IngestionTestServer server;
    private String ruleId;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new IngestionTestServer(dataDir);
        Path rule = files.resolve("rule.json");
        Files.writeString(rule, RULE);
        List<String> output = cli("dcr", "create", "--data", dataDir.toString(), rule.toString());
        ruleId = output.getFirst();
        assertThat(ruleId).matches("dcr-[0-9a-f]{32}");
        assertThat(output).anyMatch(line -> line.contains("transformKql: source | where Level"));
        assertThat(cli("dcr", "list", "--data", dataDir.toString())).contains(ruleId + " dcr-app-audit");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static List<String> cli(String... args) {
        return CliRun.run(args).successLines();
    }

    private LogsIngestionClient client(String key) {
        HttpPipeline pipeline = new HttpPipelineBuilder()
                .policies(new AddHeadersPolicy(new HttpHeaders().set("Authorization", "Bearer " + key)))
                .build();
        // the builder insists on a credential; with a custom pipeline (plain http on loopback, where
        // azure-core's bearer policy refuses to send tokens) the pipeline's header carries the key
        TokenCredential credential = request -> Mono.just(
                new AccessToken(key, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
        return new LogsIngestionClientBuilder()
                .endpoint(server.baseUrl())
                .credential(credential)
                .pipeline(pipeline)
                .buildClient();
    }

    @Test
    void theRealClientUploadsRecordsTypedByTheStreamDeclaration() throws Exception {
        List<Object> logs = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("TimeGenerated", "2026-11-25T10:00:00Z");
            record.put("Computer", "vm-" + (i % 10));
            record.put("Attempts", i);
            record.put("LatencyMs", i / 4.0);
            record.put("Succeeded", i % 2 == 0);
            record.put("Details", Map.of("batch", i / 100, "tags", List.of("a", "b")));
            record.put("Undeclared", "dropped as Azure drops it");
            logs.add(record);
        }
        try (LogsIngestionClient client = client(server.adminKey)) {
            client.upload(ruleId, "Custom-AppAudit", logs);
        }
        // read back as a client reads them: through the query API
        assertThat(server.query("AppAudit_CL | count")).containsExactly(List.of(2_000));
        assertThat(server.query("AppAudit_CL | where Attempts == 1999 | project Computer, Attempts, LatencyMs,"
                        + " Succeeded, tostring(Details.batch), Type, format_datetime(TimeGenerated,"
                        + " 'yyyy-MM-dd HH:mm:ss')"))
                .containsExactly(List.of("vm-9", 1999, 499.75, false, "19", "AppAudit_CL", "2026-11-25 10:00:00"));
        assertThat(server.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'AppAudit_CL'"
                        + " AND column_name = 'Undeclared'"))
                .isZero();
        // a second flow of the same stream, through a transform: typed datetime, dynamic and real survive it
        assertThat(server.rows("SELECT Computer, Details->>'batch', LatencyMs, strftime(TimeGenerated,"
                        + " '%Y-%m-%dT%H:%M:%SZ') FROM AppAuditTop_CL"))
                .containsExactly(List.of("vm-8", "19", 499.5, "2026-11-25T10:00:00Z"));
        assertThat(server.runtime
                        .metrics()
                        .value(
                                "events_received_total",
                                "input",
                                "logs_ingestion",
                                "source",
                                ruleId + "/Custom-AppAudit",
                                "format",
                                "logs_ingestion"))
                .as("2,000 rows of the identity flow and 1 of the transformed one, counted per DCR stream")
                .isEqualTo(2_001);
    }

    @Test
    void badRequestsGetClearAzureErrorsAndNothingIsStored() throws Exception {
        try (LogsIngestionClient client = client(server.adminKey)) {
            List<Object> one = List.of(Map.of("Computer", "vm-1"));
            assertThat(uploadError(client, "dcr-00000000000000000000000000000000", "Custom-AppAudit", one))
                    .startsWith("404 ")
                    .contains("NotFound");
            assertThat(uploadError(client, ruleId, "Custom-Unknown", one))
                    .startsWith("400 ")
                    .contains("InvalidStream");
        }
        try (LogsIngestionClient stranger = client("vgl_not-a-key")) {
            assertThat(uploadError(stranger, ruleId, "Custom-AppAudit", List.of(Map.of("Computer", "x"))))
                    .startsWith("401 ");
        }

        HttpResponse<String> malformed = raw("[{\"Computer\":".getBytes(UTF_8), false);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"code\":\"InvalidPayload\"", "not valid JSON");

        HttpResponse<String> notArray = raw("{\"Computer\":\"x\"}".getBytes(UTF_8), false);
        assertThat(notArray.statusCode()).isEqualTo(400);
        assertThat(notArray.body()).contains("JSON array");

        byte[] oversize = ("[{\"Computer\":\"" + "x".repeat(1024 * 1024) + "\"}]").getBytes(UTF_8);
        HttpResponse<String> tooLarge = raw(oversize, false);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"code\":\"ContentLengthLimitExceeded\"", "1 MB");

        HttpResponse<String> bomb = raw(gzip(oversize), true);
        assertThat(bomb.statusCode()).isEqualTo(413);

        HttpResponse<String> wrongType = raw("[{\"Computer\":\"vm\",\"Attempts\":\"many\"}]".getBytes(UTF_8), false);
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body())
                .contains(
                        "None of the 1 record(s) matched the declared column types of stream 'Custom-AppAudit'",
                        "the first: record 0, field 'Attempts': expected int, not an integer: \\\"many\\\"",
                        "dead-letter");
        assertThat(server.rows("SELECT Detail FROM VigilDeadLetter WHERE Format = 'logs_ingestion'"))
                .containsExactly(List.of("record 0, field 'Attempts': expected int, not an integer: \"many\""));

        assertThat(server.count("SELECT count(*) FROM VigilDeadLetter WHERE Format = 'logs_ingestion'"))
                .isEqualTo(1);

        // the server keeps serving
        assertThat(raw("[{\"Computer\":\"vm-ok\"}]".getBytes(UTF_8), false).statusCode())
                .isEqualTo(204);
        assertThat(server.count("SELECT count(*) FROM AppAudit_CL WHERE Computer = 'vm-ok'"))
                .isEqualTo(1);
    }

    @Test
    void transformKqlRunsThroughTheKqlEngine() throws Exception {
        List<Object> events = List.of(
                Map.of(
                        "Time",
                        "2026-11-25T10:00:00Z",
                        "Level",
                        "info",
                        "Message",
                        "started",
                        "Payload",
                        "{\"user\":\"alice\",\"attempts\":1}"),
                Map.of(
                        "Time",
                        "2026-11-25T10:00:01Z",
                        "Level",
                        "debug",
                        "Message",
                        "noise",
                        "Payload",
                        "{\"user\":\"bob\",\"attempts\":2}"),
                Map.of(
                        "Time",
                        "2026-11-25T10:00:02.5Z",
                        "Level",
                        "error",
                        "Message",
                        "failed",
                        "Payload",
                        "{\"user\":\"carol\",\"attempts\":3}"));
        try (LogsIngestionClient client = client(server.adminKey)) {
            client.upload(ruleId, "Custom-AppEvents", events);
            client.upload(ruleId, "Custom-Filtered", List.of(Map.of("Computer", "noise"), Map.of("Computer", "vm-1")));
        }
        assertThat(server.rows("SELECT Level, Message, strftime(TimeGenerated, '%Y-%m-%dT%H:%M:%S.%gZ'), Type"
                        + " FROM AppEvents_CL ORDER BY TimeGenerated"))
                .containsExactly(
                        List.of("info", "started", "2026-11-25T10:00:00.000Z", "AppEvents_CL"),
                        List.of("error", "failed", "2026-11-25T10:00:02.500Z", "AppEvents_CL"));
        // project-away removed the column, so the output table never got one
        assertThat(server.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'AppEvents_CL'"
                        + " AND column_name = 'Time'"))
                .isZero();
        assertThat(server.rows("SELECT User, Attempts FROM AppEventUsers_CL ORDER BY Attempts"))
                .containsExactly(List.of("alice", 1), List.of("bob", 2), List.of("carol", 3));
        assertThat(server.rows("SELECT Computer FROM Filtered_CL")).containsExactly(List.of("vm-1"));
    }

    @Test
    void aTransformThatDoesNotCompileIsRefusedWhenTheRuleIsCreated() throws Exception {
        Path rule = files.resolve("bad-rule.json");
        Files.writeString(rule, RULE.replace("source | where Computer != 'noise'", "source | where NoSuchColumn > 1"));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(errors, true, UTF_8));
        int exit;
        try {
            exit = VigilMain.run("dcr", "create", "--data", dataDir.toString(), rule.toString());
        } finally {
            System.setErr(original);
        }
        assertThat(exit).isNotZero();
        assertThat(errors.toString(UTF_8)).contains("Custom-Filtered", "NoSuchColumn");
    }

    /** The status and body of the request the client's upload failed with. */
    private static String uploadError(LogsIngestionClient client, String rule, String stream, List<Object> logs) {
        try {
            client.upload(rule, stream, logs);
        } catch (LogsUploadException e) {
            HttpResponseException first = e.getLogsUploadErrors().getFirst();
            return first.getResponse().getStatusCode() + " " + first.getMessage();
        }
        throw new AssertionError("the upload to " + rule + "/" + stream + " succeeded");
    }

    private HttpResponse<String> raw(byte[] body, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dataCollectionRules/"
                        + ruleId + "/streams/Custom-AppAudit?api-version=2023-01-01"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void workspaceShowPrintsWhatSendersNeed() {
        List<String> lines = cli("workspace", "show", "--data", dataDir.toString(), "--port", "8123");
        String ikey = lines.stream()
                .filter(line -> line.startsWith("appinsights:"))
                .findFirst()
                .orElseThrow();
        assertThat(lines)
                .contains(
                        "workspace id:       " + server.runtime.workspace().workspaceId(),
                        "shared key:         " + server.runtime.workspace().sharedKey(),
                        "admin API key file: " + dataDir.resolve("secrets/admin.key"));
        assertThat(ikey)
                .matches(
                        "appinsights: +InstrumentationKey=[0-9a-f-]{36};IngestionEndpoint=http://127\\.0\\.0\\.1:8123/");
    }
}
