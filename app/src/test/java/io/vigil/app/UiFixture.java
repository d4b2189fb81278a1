package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.app.http.ApiKeys;
import io.vigil.detect.library.BuiltinPack;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.schedule.RuleScheduler;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.ingest.IngestResult;
import io.vigil.spi.TableCatalogView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server started as {@code vigil server} starts it, for the web UI's tests: an admin, a responder and a reader
 * key, sign-ins of the last hours (with dynamic columns) stored through the real ingest pipeline, one input
 * that fails to parse, so the health page has a dead letter to show, and detection: the built-in rule pack
 * imported into the rule library and its scheduled rules run over an audit log cleared on {@value #CLEARED_ON}
 * and a service installed on {@value #SERVICE_ON} in the last completed hour, which raises two alerts and two
 * incidents (rules run in id order: new service, Medium, incident 1; audit log cleared, High, incident 2). Both
 * alerts are raised at the same instant; the service was installed five minutes after the log was cleared.
 */
final class UiFixture implements AutoCloseable {
    static final int SIGNINS = 48;
    static final String CLEARED_ON = "dc01.contoso.com";
    static final String SERVICE_ON = "web01.contoso.com";
    static final String AUDIT_LOG_CLEARED = "Audit log cleared";
    static final String NEW_SERVICE = "New service installed";
    static final int SERVICE_INCIDENT = 1;
    static final int CLEARED_INCIDENT = 2;

    final VigilRuntime runtime;
    final ServerCommand.Running running;
    final String base;
    final String adminKey;
    final String readerKey;
    final String responderKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private UiFixture(
            VigilRuntime runtime,
            ServerCommand.Running running,
            String adminKey,
            String readerKey,
            String responderKey) {
        this.runtime = runtime;
        this.running = running;
        this.base = "http://127.0.0.1:" + running.server().port();
        this.adminKey = adminKey;
        this.readerKey = readerKey;
        this.responderKey = responderKey;
    }

    static UiFixture start(Path folder) throws Exception {
        VigilRuntime runtime = VigilRuntime.open(folder.resolve("data"));
        try {
            // loading the keys creates the admin key; the reader's is added before the server reads them
            ApiKeys.load(runtime.workspace());
            String readerKey = ApiKeys.create(runtime.workspace(), "analyst", ApiKeys.Role.READER, Clock.systemUTC());
            String responderKey =
                    ApiKeys.create(runtime.workspace(), "oncall", ApiKeys.Role.RESPONDER, Clock.systemUTC());
            String adminKey = Files.readString(runtime.workspace().secretsDir().resolve("admin.key"))
                    .trim();
            seed(runtime);
            detect(runtime);
            ServerCommand.Running running =
                    ServerCommand.start(runtime, ServeOptions.builder().build());
            return new UiFixture(runtime, running, adminKey, readerKey, responderKey);
        } catch (Exception | Error failure) {
            runtime.close();
            throw failure;
        }
    }

    /** Failed and successful sign-ins, one every 15 minutes over the last 12 hours, from four addresses. */
    private static void seed(VigilRuntime runtime) throws InterruptedException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < SIGNINS; i++) {
            Instant time = now.minus(Duration.ofMinutes(15L * i + 5));
            String address = "203.0.113." + (10 + i % 4);
            String result = "0";
            if (i % 3 != 0) {
                result = "50126";
            }
            String user = "user" + (i % 5) + "@contoso.com";
            lines.append(signIn(time, address, result, user, "Amsterdam")).append('\n');
        }
        IngestResult stored =
                runtime.pipeline().ingest("http", "ui-test", lines.toString().getBytes(UTF_8), Optional.empty());
        if (stored.rows() != SIGNINS) {
            throw new IllegalStateException("expected " + SIGNINS + " sign-ins stored, got " + stored);
        }
        runtime.pipeline().ingest("http", "ui-test", "{\"records\": [ {broken".getBytes(UTF_8), Optional.empty());
    }

    /**
     * The built-in pack imported as {@code vigil demo} imports it, and its scheduled rules run once by the real
     * scheduler: a rule's first run is its latest completed window, so the events are put half an hour into
     * the last completed hour. The server's own scheduler then finds every window run and raises nothing more.
     */
    private static void detect(VigilRuntime runtime) throws Exception {
        Instant now = Instant.now();
        KqlEngine engine = KqlEngine.builder(runtime.store()).build();
        RuleLibrary library = new RuleLibrary(runtime.store().dataDir());
        BuiltinPack.importInto(library, engine, now);
        Instant during = RuleScheduler.alignedEnd(now, Duration.ofHours(1)).minus(Duration.ofMinutes(30));
        TableCatalogView catalog = runtime.store().catalog();
        runtime.store()
                .write(List.of(
                        catalog.require("SecurityEvent")
                                .newRow()
                                .set("TimeGenerated", during)
                                .set("EventID", 1102)
                                .set("Computer", CLEARED_ON)
                                .set("Account", "CONTOSO\\mallory")
                                .set("EventSourceName", "Microsoft-Windows-Eventlog")
                                .set("Activity", "1102 - The audit log was cleared.")
                                .build(),
                        catalog.require("Event")
                                .newRow()
                                .set("TimeGenerated", during.plus(Duration.ofMinutes(5)))
                                .set("EventID", 7045)
                                .set("EventLog", "System")
                                .set("Source", "Service Control Manager")
                                .set("Computer", SERVICE_ON)
                                .set("RenderedDescription", "A service was installed in the system: updater.exe")
                                .build()))
                .get(30, TimeUnit.SECONDS);
        // at the same now as the events' hour, so an hour turning meanwhile cannot move the window past them
        RuleScheduler.Pass pass = new RuleScheduler(
                        runtime.store(), engine, Clock.fixed(now, ZoneOffset.UTC), QueryLimits.DEFAULT)
                .runDue(library.enabledRules());
        if (pass.alerts().size() != 2 || pass.incidents().size() != 2) {
            throw new IllegalStateException("expected 2 alerts and 2 incidents, got " + pass);
        }
    }

    private static String signIn(Instant time, String address, String result, String user, String city) {
        return """
                {"time":"%1$s","resourceId":"/tenants/22222222-2222-2222-2222-222222222222/providers/Microsoft.aadiam",\
                "operationName":"Sign-in activity","operationVersion":"1.0","category":"SignInLogs",\
                "tenantId":"22222222-2222-2222-2222-222222222222","resultType":"%3$s","resultSignature":"None",\
                "callerIpAddress":"%2$s","correlationId":"5c5c5c5c-0000-4000-8000-000000000001","identity":"%4$s",\
                "Level":4,"location":"NL","properties":{"id":"5c5c5c5c-0000-4000-8000-%5$012d",\
                "createdDateTime":"%1$s","userDisplayName":"%4$s","userPrincipalName":"%4$s",\
                "appDisplayName":"Azure Portal","ipAddress":"%2$s","status":{"errorCode":%3$s},\
                "clientAppUsed":"Browser","location":{"city":"%6$s","countryOrRegion":"NL",\
                "geoCoordinates":{"latitude":52.37,"longitude":4.89}},"isInteractive":true}}""".formatted(time, address, result, user, Math.abs((long) time.hashCode()), city);
    }

    HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String key, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String key, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        try (VigilRuntime closedLast = runtime;
                ServerCommand.Running closedFirst = running) {
            http.close();
        }
    }
}
