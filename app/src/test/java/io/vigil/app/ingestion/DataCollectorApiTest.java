package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.RawHttpConnection;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP Data Collector API against the real server, with a client that builds its request exactly
 * as Microsoft's C# and Python samples do ("Send log data to Azure Monitor by using the HTTP Data
 * Collector API", learn.microsoft.com/azure/azure-monitor/logs/data-collector-api, sample requests).
 */
class DataCollectorApiTest {
    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new IngestionTestServer(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** The sample client: RFC 1123 date, then the documented string to sign, HMAC-SHA256 with the decoded key. */
    private HttpResponse<String> post(String logType, String json, String timeField, ZonedDateTime date, String key)
            throws Exception {
        byte[] body = json.getBytes(UTF_8);
        String rfc1123 =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(date);
        String stringToSign = "POST" + "\n" + body.length + "\n" + "application/json" + "\n" + "x-ms-date:" + rfc1123
                + "\n" + "/api/logs";
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(hmac.doFinal(stringToSign.getBytes(UTF_8)));
        String customerId = server.runtime.workspace().workspaceId();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "SharedKey " + customerId + ":" + signature)
                .header("x-ms-date", rfc1123)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (logType != null) {
            request.header("Log-Type", logType);
        }
        if (timeField != null) {
            request.header("time-generated-field", timeField);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String logType, String json) throws Exception {
        return post(logType, json, null, now(), server.runtime.workspace().sharedKey());
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    @Test
    void recordsBecomeRowsWithAzureSuffixTyping() throws Exception {
        String eventTime = now().minusHours(1).withNano(0).format(DateTimeFormatter.ISO_INSTANT);
        String json = "[{\"Computer\":\"vm-01\",\"Count\":3,\"Enabled\":true,\"EventTime\":\"" + eventTime + "\","
                + "\"RequestId\":\"7f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\",\"Details\":{\"a\":[1,2]},\"Nothing\":null},"
                + "{\"Computer\":\"vm-02\",\"Count\":4.5,\"Enabled\":false,\"EventTime\":\"" + eventTime + "\"}]";

        HttpResponse<String> response = post(
                "MyAudit", json, "EventTime", now(), server.runtime.workspace().sharedKey());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        // read back as a client reads them: through the query API
        assertThat(server.query("MyAudit_CL | count")).containsExactly(java.util.List.of(2));
        assertThat(server.query("MyAudit_CL | order by Computer_s asc | project Computer_s, Count_d, Enabled_b,"
                        + " RequestId_g, Details_s, Type, TimeGenerated == datetime(" + eventTime + ")"))
                .containsExactly(
                        java.util.List.of(
                                "vm-01",
                                3.0,
                                true,
                                "7f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
                                "{\"a\":[1,2]}",
                                "MyAudit_CL",
                                true),
                        // a KQL string is never null: an absent one reads as ""
                        java.util.Arrays.asList("vm-02", 4.5, false, null, "", "MyAudit_CL", true));
        assertThat(server.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'MyAudit_CL'"
                        + " AND column_name IN ('EventTime_t', 'Nothing_s', 'Nothing_d')"))
                .as("the datetime field is typed _t, null properties are left out")
                .isEqualTo(1);

        // a new property extends the table; a string that is a number goes to the existing _d column
        assertThat(post("MyAudit", "{\"Computer\":\"vm-03\",\"Count\":\"7\",\"Region\":\"westeurope\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.rows("SELECT Count_d, Region_s FROM MyAudit_CL WHERE Computer_s = 'vm-03'"))
                .containsExactly(java.util.List.of(7.0, "westeurope"));
        assertThat(server.runtime
                        .metrics()
                        .value("events_received_total", "input", "data_collector", "format", "data_collector"))
                .isEqualTo(3);
    }

    @Test
    void badRequestsGetAzureErrorsAndTheServerKeepsServing() throws Exception {
        String key = server.runtime.workspace().sharedKey();
        String wrongKey = Base64.getEncoder().encodeToString(new byte[64]);

        HttpResponse<String> wrongSignature = post("MyAudit", "[{\"a\":1}]", null, now(), wrongKey);
        assertThat(wrongSignature.statusCode()).isEqualTo(403);
        assertThat(wrongSignature.body())
                .contains(
                        "\"Error\":\"InvalidAuthorization\"",
                        "An invalid signature was specified in the Authorization header");

        HttpResponse<String> oldDate = post("MyAudit", "[{\"a\":1}]", null, now().minusMinutes(16), key);
        assertThat(oldDate.statusCode()).isEqualTo(403);
        assertThat(oldDate.body()).contains("InvalidAuthorization", "15 minutes");

        HttpResponse<String> malformed = post("MyAudit", "[{\"a\":1},", null, now(), key);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"Error\":\"InvalidDataFormat\"");

        HttpResponse<String> notObjects = post("MyAudit", "[1,2]", null, now(), key);
        assertThat(notObjects.statusCode()).isEqualTo(400);
        assertThat(notObjects.body()).contains("InvalidDataFormat", "record 0 is not a JSON object");

        HttpResponse<String> missingType = post(null, "[{\"a\":1}]", null, now(), key);
        assertThat(missingType.statusCode()).isEqualTo(400);
        assertThat(missingType.body()).contains("\"Error\":\"MissingLogType\"");

        HttpResponse<String> invalidType = post("My-Audit", "[{\"a\":1}]", null, now(), key);
        assertThat(invalidType.statusCode()).isEqualTo(400);
        assertThat(invalidType.body()).contains("\"Error\":\"InvalidLogType\"");

        HttpResponse<String> bearerOnly = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                        .header("Authorization", "Bearer " + server.adminKey)
                        .header("Log-Type", "MyAudit")
                        .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bearerOnly.statusCode())
                .as("the Data Collector API takes SharedKey only")
                .isEqualTo(403);
        assertThat(bearerOnly.body()).contains("An invalid scheme was specified in the Authorization header");

        String oversize = "[{\"a\":\"" + "x".repeat(31 * 1024 * 1024) + "\"}]";
        HttpResponse<String> tooLarge = post("MyAudit", oversize, null, now(), key);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("RequestEntityTooLarge", "30 MB");

        // nothing of the refused requests was stored; the malformed bodies are kept as dead letters
        assertThat(server.runtime.store().catalog().table("MyAudit_CL")).isEmpty();
        assertThat(server.count("SELECT count(*) FROM VigilDeadLetter WHERE Format = 'data_collector'"))
                .isEqualTo(2);

        // and the server still accepts good requests
        assertThat(post("MyAudit", "[{\"a\":1}]").statusCode()).isEqualTo(200);
        assertThat(server.count("SELECT count(*) FROM MyAudit_CL")).isEqualTo(1);
    }

    /** A raw request head for a socket client, signed for {@code signedLength}, declaring {@code contentLength}. */
    private String head(long contentLength, long signedLength, String key) {
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now());
        String signature = SharedKeySignature.sign(key, signedLength, date);
        return "POST /api/logs?api-version=2016-04-01 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Log-Type: MyAudit\r\nx-ms-date: " + date + "\r\nAuthorization: SharedKey "
                + server.runtime.workspace().workspaceId() + ":" + signature + "\r\nContent-Length: " + contentLength
                + "\r\n\r\n";
    }

    @Test
    void theSignatureIsCheckedFromTheContentLengthBeforeAnyBodyByteArrives() throws Exception {
        String wrongKey = Base64.getEncoder().encodeToString(new byte[64]);
        try (RawHttpConnection client = RawHttpConnection.open(server.server.port())) {
            // 20 MB declared, not a byte of it sent: the answer cannot have waited for the body
            client.send(head(20L * 1024 * 1024, 20L * 1024 * 1024, wrongKey));
            String answer = client.awaitResponse(Duration.ofSeconds(10));
            assertThat(answer)
                    .startsWith("HTTP/1.1 403 ")
                    .contains("\"Error\":\"InvalidAuthorization\"", "An invalid signature");
            assertThat(client.age()).isLessThan(Duration.ofSeconds(10));
        }
        // a body of another length than the one signed is refused by the signature
        String key = server.runtime.workspace().sharedKey();
        String body = "[{\"a\":1}]";
        try (RawHttpConnection client = RawHttpConnection.open(server.server.port())) {
            client.send(head(body.length(), body.length() + 1, key) + body);
            assertThat(client.awaitResponse(Duration.ofSeconds(10))).startsWith("HTTP/1.1 403 ");
        }
        assertThat(server.runtime
                        .metrics()
                        .value("requests_rejected_total", "input", "data_collector", "reason", "unauthorized"))
                .isEqualTo(2);
        assertThat(server.runtime.store().catalog().table("MyAudit_CL")).isEmpty();
    }

    @Test
    void aChunkedBodyGets411AndABodyShorterThanItsContentLength400() throws Exception {
        String key = server.runtime.workspace().sharedKey();
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now());
        byte[] json = "[{\"a\":1}]".getBytes(UTF_8);
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/logs?api-version=2016-04-01"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Log-Type", "MyAudit")
                        .header("x-ms-date", date)
                        .header(
                                "Authorization",
                                "SharedKey " + server.runtime.workspace().workspaceId() + ":"
                                        + SharedKeySignature.sign(key, json.length, date))
                        // an input stream of unknown length goes chunked, without Content-Length
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
        assertThat(chunked.body()).contains("\"Error\":\"LengthRequired\"", "Content-Length");

        String body = "[{\"a\":1},{\"a\":2}]";
        try (RawHttpConnection client = RawHttpConnection.open(server.server.port())) {
            // signed and declared for 100 bytes, but the sender stops after the 17 it has
            client.send(head(100, 100, key) + body);
            client.shutdownOutput();
            String answer = client.awaitClosedByServer(Duration.ofSeconds(10));
            assertThat(answer)
                    .startsWith("HTTP/1.1 400 ")
                    .contains("\"Error\":\"InvalidDataFormat\"", "after " + body.length() + " of the 100 bytes");
        }
        assertThat(server.runtime
                        .metrics()
                        .value("requests_rejected_total", "input", "data_collector", "reason", "invalid_request"))
                .isEqualTo(1);
        assertThat(server.runtime
                        .metrics()
                        .value("requests_rejected_total", "input", "data_collector", "reason", "invalid_body"))
                .isEqualTo(1);
        assertThat(server.runtime.store().catalog().table("MyAudit_CL")).isEmpty();
        assertThat(post("MyAudit", "[{\"a\":1}]").statusCode()).isEqualTo(200);
    }
}
