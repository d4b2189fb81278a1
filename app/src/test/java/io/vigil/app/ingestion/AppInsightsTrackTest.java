package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigure;
import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigureOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The track endpoints with the real Azure Monitor OpenTelemetry exporter, and with hand-made bad bodies. */
class AppInsightsTrackTest {
    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private InstrumentationKeys instrumentationKeys;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        server = new IngestionTestServer(dataDir);
        instrumentationKeys = InstrumentationKeys.loadOrCreate(server.runtime.workspace());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theAzureMonitorExporterLandsEveryTelemetryTypeInItsTable() throws Exception {
        assertThat(dataDir.resolve("secrets/appinsights.key")).exists();
        String connectionString = instrumentationKeys.connectionString(server.baseUrl() + "/") + ";LiveEndpoint="
                + server.baseUrl() + "/";
        AutoConfiguredOpenTelemetrySdkBuilder builder = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        // no live metrics (a separate service) and no metric export: traces and logs only
                        "applicationinsights.live.metrics.enabled", "false",
                        "otel.metrics.exporter", "none",
                        "otel.service.name", "checkout"));
        AzureMonitorAutoConfigure.customize(
                builder, new AzureMonitorAutoConfigureOptions().connectionString(connectionString));
        OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk();
        try {
            Tracer tracer = sdk.getTracer("vigil-test");
            Span request = tracer.spanBuilder("GET /orders")
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute("http.request.method", "GET")
                    .setAttribute("url.full", "http://shop.example/orders")
                    .setAttribute("http.response.status_code", 200L)
                    .startSpan();
            try (Scope ignored = request.makeCurrent()) {
                Span dependency = tracer.spanBuilder("SELECT orders")
                        .setSpanKind(SpanKind.CLIENT)
                        .setAttribute("db.system", "postgresql")
                        .setAttribute("db.statement", "SELECT * FROM orders")
                        .startSpan();
                dependency.end();
                request.recordException(new IllegalStateException("order store is read-only"));
                request.setStatus(StatusCode.ERROR);
                Logger logger = sdk.getLogsBridge().get("vigil-test");
                logger.logRecordBuilder()
                        .setSeverity(Severity.WARN)
                        .setBody("low stock for sku 42")
                        .emit();
                logger.logRecordBuilder()
                        .setAttribute(AttributeKey.stringKey("microsoft.custom_event.name"), "OrderPlaced")
                        .setAllAttributes(Attributes.of(AttributeKey.stringKey("order"), "A-1"))
                        .emit();
            } finally {
                request.end();
            }
            assertThat(sdk.getSdkTracerProvider()
                            .forceFlush()
                            .join(30, TimeUnit.SECONDS)
                            .isSuccess())
                    .isTrue();
            assertThat(sdk.getSdkLoggerProvider()
                            .forceFlush()
                            .join(30, TimeUnit.SECONDS)
                            .isSuccess())
                    .isTrue();
        } finally {
            sdk.shutdown().join(30, TimeUnit.SECONDS);
        }
        String ikey = instrumentationKeys.primary();
        awaitRows("AppRequests | where Name == 'GET /orders' and IKey == '" + ikey + "' | count", 1);
        awaitRows("AppDependencies | where DependencyType contains 'postgres' | count", 1);
        awaitRows(
                "AppExceptions | where ExceptionType == 'java.lang.IllegalStateException'"
                        + " and OuterMessage == 'order store is read-only' | count",
                1);
        awaitRows("AppTraces | where Message == 'low stock for sku 42' and SeverityLevel == 2 | count", 1);
        awaitRows("AppEvents | where Name == 'OrderPlaced' | count", 1);
        assertThat(server.runtime
                        .metrics()
                        .value("events_received_total", "input", "appinsights", "format", "appinsights_envelope"))
                .isGreaterThanOrEqualTo(5);
        assertThat(server.count("SELECT count(*) FROM VigilDeadLetter")).isZero();
    }

    /**
     * Polls the query API until the KQL count reaches {@code expected}: rows are committed before the track
     * response, so this only waits out the exporter's own batching.
     */
    private void awaitRows(String kql, long expected) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        long count = count(kql);
        while (count < expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            count = count(kql);
        }
        assertThat(count).as(kql).isEqualTo(expected);
    }

    private long count(String kql) throws Exception {
        return ((Number) server.query(kql).getFirst().getFirst()).longValue();
    }

    private String envelope(String ikey, String message) {
        return "{\"name\":\"Microsoft.ApplicationInsights.Message\",\"time\":\"" + Instant.now() + "\",\"iKey\":\""
                + ikey
                + "\",\"tags\":{\"ai.cloud.role\":\"api\"},\"data\":{\"baseType\":\"MessageData\",\"baseData\":"
                + "{\"ver\":2,\"message\":\"" + message + "\",\"severityLevel\":\"Information\"}}}";
    }

    private HttpResponse<String> track(byte[] body, boolean gzipHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2.1/track"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-json-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (gzipHeader) {
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
    void partialAndBadBodiesGetBreezeAnswers() throws Exception {
        String ikey = instrumentationKeys.primary();

        String ndjson = envelope(ikey, "one") + "\n" + envelope(ikey, "two") + "\n";
        HttpResponse<String> accepted = track(gzip(ndjson.getBytes(UTF_8)), true);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("\"itemsReceived\":2", "\"itemsAccepted\":2", "\"errors\":[]");

        String mixed = "[" + envelope(ikey, "three") + ","
                + envelope("00000000-0000-0000-0000-000000000000", "stranger") + ",{\"name\":\"x\",\"time\":\""
                + Instant.now() + "\",\"iKey\":\"" + ikey + "\",\"data\":{\"baseType\":\"Nope\"}}]";
        HttpResponse<String> partial = track(mixed.getBytes(UTF_8), false);
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.body())
                .contains("\"itemsReceived\":3", "\"itemsAccepted\":1")
                .contains("{\"index\":1,\"statusCode\":400,\"message\":\"Invalid instrumentation key\"}")
                .contains("\"index\":2,\"statusCode\":400,\"message\":\"unknown baseType Nope\"");

        HttpResponse<String> notJson = track("hello, this is not JSON".getBytes(UTF_8), false);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"itemsAccepted\":0", "Invalid JSON");

        HttpResponse<String> brokenArray = track(("[" + envelope(ikey, "four")).getBytes(UTF_8), false);
        assertThat(brokenArray.statusCode()).isEqualTo(400);

        // 80 MB of zeros compress to ~80 KB: refused once inflation passes the cap
        byte[] bomb = gzip(new byte[80 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(200_000);
        HttpResponse<String> bombed = track(bomb, true);
        assertThat(bombed.statusCode()).isEqualTo(413);
        assertThat(bombed.body()).contains("inflates to more than");

        HttpResponse<String> badGzip = track(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3}, true);
        assertThat(badGzip.statusCode()).isEqualTo(400);

        // the server keeps serving, and only the accepted items were stored
        assertThat(track(envelope(ikey, "five").getBytes(UTF_8), false).statusCode())
                .isEqualTo(200);
        assertThat(server.rows("SELECT Message FROM AppTraces ORDER BY Message"))
                .extracting(row -> row.get(0))
                .containsExactly("five", "one", "three", "two");
        assertThat(server.count("SELECT count(*) FROM AppTraces WHERE Message = 'stranger'"))
                .isZero();
        assertThat(server.runtime
                        .metrics()
                        .value(
                                "events_rejected_total",
                                "input",
                                "appinsights",
                                "reason",
                                "invalid_instrumentation_key"))
                .isEqualTo(1);
    }
}
