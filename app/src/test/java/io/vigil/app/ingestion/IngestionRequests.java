package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.workspace.Workspace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Requests to each of the three ingestion endpoints of a test server, either through the JDK's HTTP
 * client or as raw request heads for a socket client; each record carries a marker, so a test can count
 * what of one request was stored. The Logs Ingestion API gets a data collection rule of its own.
 */
final class IngestionRequests {
    /** The three ingestion endpoints. */
    enum Endpoint {
        DATA_COLLECTOR,
        TRACK,
        LOGS_INGESTION
    }

    static final String STREAM = "Custom-Limits";

    private static final String RULE = """
            {
              "name": "dcr-limits",
              "location": "westeurope",
              "properties": {
                "streamDeclarations": {
                  "Custom-Limits": {
                    "columns": [
                      {"name": "TimeGenerated", "type": "datetime"},
                      {"name": "Computer", "type": "string"},
                      {"name": "Attempts", "type": "int"}
                    ]
                  }
                },
                "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
                "dataFlows": [
                  {"streams": ["Custom-Limits"], "destinations": ["vigil"], "transformKql": "source",
                   "outputStream": "Custom-Limits_CL"}
                ]
              }
            }
            """;

    final IngestionTestServer server;
    final String ruleId;
    final String instrumentationKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    IngestionRequests(IngestionTestServer server) throws Exception {
        this.server = server;
        DataCollectionRules rules = DataCollectionRules.of(server.runtime.workspace());
        this.ruleId =
                rules.create((ObjectNode) HttpExchange.JSON.readTree(RULE)).immutableId();
        this.instrumentationKey =
                InstrumentationKeys.loadOrCreate(server.runtime.workspace()).primary();
    }

    String path(Endpoint endpoint) {
        return switch (endpoint) {
            case DATA_COLLECTOR -> "/api/logs?api-version=2016-04-01";
            case TRACK -> "/v2/track";
            case LOGS_INGESTION -> "/dataCollectionRules/" + ruleId + "/streams/" + STREAM + "?api-version=2023-01-01";
        };
    }

    /** A body of {@code records} records, each marked with {@code marker}. */
    byte[] body(Endpoint endpoint, String marker, int records) {
        return body(endpoint, marker, records, 0);
    }

    /** As {@link #body(Endpoint, String, int)}, each record padded with a field of {@code padding} characters. */
    byte[] body(Endpoint endpoint, String marker, int records, int padding) {
        String pad = "p".repeat(padding);
        StringBuilder body = new StringBuilder();
        switch (endpoint) {
            case DATA_COLLECTOR, LOGS_INGESTION -> {
                body.append('[');
                for (int i = 0; i < records; i++) {
                    if (i > 0) {
                        body.append(',');
                    }
                    body.append("{\"Computer\":\"")
                            .append(marker)
                            .append("\",\"Attempts\":")
                            .append(i)
                            .append(",\"Padding\":\"")
                            .append(pad)
                            .append("\"}");
                }
                body.append(']');
            }
            case TRACK -> {
                for (int i = 0; i < records; i++) {
                    body.append(
                                    "{\"name\":\"Microsoft.ApplicationInsights.Message\",\"time\":\"2026-11-25T10:00:00Z\",")
                            .append("\"iKey\":\"")
                            .append(instrumentationKey)
                            .append("\",\"data\":{\"baseType\":\"MessageData\",\"baseData\":{\"message\":\"")
                            .append(marker)
                            .append(' ')
                            .append(i)
                            .append("\",\"properties\":{\"padding\":\"")
                            .append(pad)
                            .append("\"}}}}\n");
                }
            }
        }
        return body.toString().getBytes(UTF_8);
    }

    /** The authentication and type headers of a request with a body of {@code contentLength} bytes. */
    List<String> headers(Endpoint endpoint, long contentLength) {
        return switch (endpoint) {
            case DATA_COLLECTOR -> {
                String date = DateTimeFormatter.RFC_1123_DATE_TIME
                        .withLocale(Locale.ROOT)
                        .format(ZonedDateTime.now(ZoneOffset.UTC));
                String signature =
                        SharedKeySignature.sign(server.runtime.workspace().sharedKey(), contentLength, date);
                yield List.of(
                        "Content-Type",
                        "application/json",
                        "Log-Type",
                        "LimitTest",
                        "x-ms-date",
                        date,
                        "Authorization",
                        "SharedKey " + server.runtime.workspace().workspaceId() + ":" + signature);
            }
            case TRACK -> List.of("Content-Type", "application/x-json-stream");
            case LOGS_INGESTION ->
                List.of("Content-Type", "application/json", "Authorization", "Bearer " + server.adminKey);
        };
    }

    /** The request line and headers of a POST whose body is {@code contentLength} bytes, for a socket client. */
    String head(Endpoint endpoint, long contentLength) {
        StringBuilder head = new StringBuilder("POST ")
                .append(path(endpoint))
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ")
                .append(contentLength)
                .append("\r\n");
        List<String> headers = headers(endpoint, contentLength);
        for (int i = 0; i < headers.size(); i += 2) {
            head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Sends a body with the JDK's client. */
    HttpResponse<String> send(Endpoint endpoint, byte[] body) throws Exception {
        return send(endpoint, HttpRequest.BodyPublishers.ofByteArray(body), headers(endpoint, body.length));
    }

    /** Sends a body with the given headers (name, value pairs); a publisher of unknown length goes chunked. */
    HttpResponse<String> send(Endpoint endpoint, HttpRequest.BodyPublisher body, List<String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path(endpoint)))
                .timeout(Duration.ofSeconds(60))
                .POST(body);
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Adds an API key to a workspace whose keys were created (its admin key): the server started after it
     * accepts {@code key} for {@code principal} with {@code role}.
     */
    static void addApiKey(Workspace workspace, String principal, String role, String key) throws Exception {
        Path file = workspace.secretsDir().resolve("keys.json");
        ArrayNode keys = (ArrayNode) HttpExchange.JSON.readTree(Files.readString(file, UTF_8));
        ObjectNode entry = keys.addObject();
        entry.put("principal", principal);
        entry.put("role", role);
        entry.put(
                "sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8))));
        Files.writeString(file, keys.toString(), UTF_8);
    }

    /** The status a successful request of the endpoint gets. */
    static int success(Endpoint endpoint) {
        return switch (endpoint) {
            case DATA_COLLECTOR, TRACK -> 200;
            case LOGS_INGESTION -> 204;
        };
    }

    /** The {@code input} label of the endpoint's metrics. */
    static String input(Endpoint endpoint) {
        return switch (endpoint) {
            case DATA_COLLECTOR -> DataCollectorEndpoint.INPUT;
            case TRACK -> AppInsightsEndpoint.INPUT;
            case LOGS_INGESTION -> LogsIngestionEndpoint.INPUT;
        };
    }

    /** {@code requests_rejected_total} of the endpoint (the Logs Ingestion API's under its DCR stream) for a reason. */
    long rejected(Endpoint endpoint, String reason) {
        return switch (endpoint) {
            case DATA_COLLECTOR, TRACK ->
                server.runtime.metrics().value("requests_rejected_total", "input", input(endpoint), "reason", reason);
            case LOGS_INGESTION ->
                server.runtime
                        .metrics()
                        .value(
                                "requests_rejected_total",
                                "input",
                                input(endpoint),
                                "source",
                                ruleId + "/" + STREAM,
                                "reason",
                                reason);
        };
    }

    /** Records marked {@code marker} in the endpoint's table (0 when the table does not exist yet). */
    long stored(Endpoint endpoint, String marker) throws Exception {
        String table = switch (endpoint) {
            case DATA_COLLECTOR -> "LimitTest_CL";
            case TRACK -> "AppTraces";
            case LOGS_INGESTION -> "Limits_CL";
        };
        if (server.runtime.store().catalog().table(table).isEmpty()) {
            return 0;
        }
        return switch (endpoint) {
            case DATA_COLLECTOR ->
                server.count("SELECT count(*) FROM LimitTest_CL WHERE Computer_s = '" + marker + "'");
            case TRACK -> server.count("SELECT count(*) FROM AppTraces WHERE Message LIKE '" + marker + " %'");
            case LOGS_INGESTION -> server.count("SELECT count(*) FROM Limits_CL WHERE Computer = '" + marker + "'");
        };
    }

    /** Records marked {@code marker} stored as distinct records: a duplicate would count once here. */
    long storedDistinct(Endpoint endpoint, String marker) throws Exception {
        if (stored(endpoint, marker) == 0) {
            return 0;
        }
        return switch (endpoint) {
            case DATA_COLLECTOR ->
                server.count("SELECT count(DISTINCT Attempts_d) FROM LimitTest_CL WHERE Computer_s = '" + marker + "'");
            case TRACK ->
                server.count("SELECT count(DISTINCT Message) FROM AppTraces WHERE Message LIKE '" + marker + " %'");
            case LOGS_INGESTION ->
                server.count("SELECT count(DISTINCT Attempts) FROM Limits_CL WHERE Computer = '" + marker + "'");
        };
    }
}
