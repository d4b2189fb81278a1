package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.metrics.Metrics;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestCertificates;
import io.vigil.testing.TestingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP sinks end to end: the real store's commit stream, the real JDK HTTP client, and strict loopback
 * receivers ({@link SiemReceivers}) that fail, stall, stop and come back. Every row must arrive at least
 * once; repeats are counted, refused items end in the dead letters with the receiver's reason.
 */
@Timeout(180)
class HttpSinksTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @TempDir
    Path secrets;

    private final TestingClock clock = new TestingClock(NOW);
    private final Metrics metrics = new Metrics();

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, metrics);
    }

    private Path secret(String name, String value) throws Exception {
        return Files.writeString(secrets.resolve(name), value + "\n");
    }

    private static SinkConfig sink(String name, String type, String url, Path secret, String... route) {
        SinkConfig config = SinkConfig.of(name, type, url, Route.parse(List.of(route)))
                .withStart(SubscriptionStart.EARLIEST)
                .withMaxBackoff(Duration.ofMillis(300));
        return config.withHttp(config.http()
                .orElseThrow()
                .withSecretFile(Optional.ofNullable(secret))
                .withRequestTimeout(Duration.ofSeconds(2)));
    }

    private static Row syslog(DuckDbStore store, String message) {
        return store.catalog()
                .require("Syslog")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("Computer", "vm-1")
                .set("SyslogMessage", message)
                .build();
    }

    private static Row alert(DuckDbStore store, String name) {
        return store.catalog()
                .require("SecurityAlert")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("AlertName", name)
                .set("AlertSeverity", "Medium")
                .set("SystemAlertId", "id-" + name)
                .build();
    }

    private static void write(DuckDbStore store, Row... rows) throws Exception {
        store.write(List.of(rows)).get(30, TimeUnit.SECONDS);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static List<String> deadLetters(DuckDbStore store, String sink) throws Exception {
        List<String> letters = new ArrayList<>();
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT Reason, Detail, RawData FROM VigilDeadLetter WHERE Source = 'sink:" + sink
                                + "' ORDER BY RawData")) {
            while (rows.next()) {
                letters.add(rows.getString(1) + " | " + rows.getString(2) + " | " + rows.getString(3));
            }
        }
        return letters;
    }

    private static long duplicates(List<String> delivered) {
        return delivered.size() - delivered.stream().distinct().count();
    }

    @Test
    void theWebhookSignsEveryRowAndDeliversThroughFailuresStallsAndARestartedReceiver() throws Exception {
        SiemReceivers.Webhook protocol = new SiemReceivers.Webhook("whsec-1", clock);
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config = sink(
                    "hook",
                    "webhook",
                    "http://127.0.0.1:" + port + "/hooks/vigil",
                    secret("hook", "whsec-1"),
                    "alerts");
            try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                write(store, alert(store, "a1"));
                awaitTrue("a1", () -> protocol.bodies.size() == 1);
                assertThat(receiver.requests().getFirst().path()).isEqualTo("/hooks/vigil");
                assertThat(receiver.requests().getFirst().header(WebhookSignature.TABLE_HEADER))
                        .contains("SecurityAlert");

                // fails twice with 503, then takes it
                receiver.failNext(2, new HttpReceiver.Reply(503, "{\"error\":\"busy\"}"));
                write(store, alert(store, "a2"));
                awaitTrue("a2", () -> protocol.bodies.size() >= 2);
                assertThat(forwarder.health().lastError())
                        .hasValueSatisfying(error -> assertThat(error).contains("HTTP 503"));

                // stalls longer than the request timeout: the request is given up and sent again
                receiver.stall();
                write(store, alert(store, "a3"));
                awaitTrue("a stalled request", () -> receiver.stalledRequests() >= 1);
                awaitTrue("the stall timed out", () -> forwarder.health().failed() >= 3);
                receiver.release();
                awaitTrue(
                        "a3",
                        () -> protocol.bodies.stream()
                                .anyMatch(
                                        body -> body.path("AlertName").asText().equals("a3")));

                // the receiver dies and comes back on the same port
                receiver.stop();
                write(store, alert(store, "a4"));
                awaitTrue(
                        "a failed attempt",
                        () -> forwarder.health().lastError().orElse("").contains("Connect"));
                receiver.start(port);
                awaitTrue(
                        "caught up",
                        () -> forwarder.health().caughtUp()
                                && protocol.bodies.stream()
                                        .anyMatch(body ->
                                                body.path("AlertName").asText().equals("a4")));

                List<String> names = protocol.bodies.stream()
                        .map(body -> body.path("AlertName").asText())
                        .toList();
                assertThat(names.stream().distinct()).containsExactlyInAnyOrder("a1", "a2", "a3", "a4");
                // each delivery id names one row; a repeat (the stalled request answered late) keeps its id
                assertThat(protocol.deliveries.stream().distinct()).hasSize(4);
                System.out.printf("webhook: %d deliveries of 4 rows, %d duplicates%n", names.size(), duplicates(names));
                assertThat(forwarder.health().deadLettered()).isZero();
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void aWrongWebhookSecretWaitsForTheOperatorAndARefusedRowIsDeadLettered() throws Exception {
        SiemReceivers.Webhook protocol = new SiemReceivers.Webhook("right", clock);
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            String url = "http://127.0.0.1:" + port + "/";
            try (Forwarder wrong = Forwarder.start(
                    sink("wrong", "webhook", url, secret("wrong", "wrong"), "table:Syslog"),
                    store,
                    clock,
                    metrics,
                    Optional.empty())) {
                write(store, syslog(store, "m1"));
                awaitTrue("refusals", () -> wrong.health().failed() >= 4);
                // a 401 is the sink's setup, not the row: it is never dead-lettered
                assertThat(wrong.health().deadLettered()).isZero();
                assertThat(wrong.health().lastError().orElseThrow())
                        .contains("HTTP 401")
                        .contains("secret");
                assertThat(protocol.bodies).isEmpty();
            }
            try (Forwarder right = Forwarder.start(
                    sink("right", "webhook", url, secret("right", "right"), "table:Syslog"),
                    store,
                    clock,
                    metrics,
                    Optional.empty())) {
                write(store, syslog(store, "poison"), syslog(store, "m2"));
                awaitTrue(
                        "caught up",
                        () -> right.health().caughtUp() && right.health().deadLettered() == 1);
                assertThat(protocol.bodies.stream()
                                .map(body -> body.path("SyslogMessage").asText()))
                        .containsExactly("m1", "m2");
                assertThat(deadLetters(store, "right"))
                        .singleElement()
                        .satisfies(letter -> assertThat(letter)
                                .startsWith("rejected_by_receiver | refused 3 times: HTTP 422")
                                .contains("\"SyslogMessage\":\"poison\""));
                assertThat(metrics.value("forward_events_dead_lettered_total", "sink", "right", "type", "webhook"))
                        .isEqualTo(1);
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void splunkHecBatchesRetriesABusyServerAndDeadLettersTheInvalidEvent() throws Exception {
        SiemReceivers.Hec protocol = new SiemReceivers.Hec("11111111-2222-3333-4444-555555555555", false);
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config = sink(
                    "hec",
                    "splunk_hec",
                    "http://127.0.0.1:" + port,
                    secret("hec", "11111111-2222-3333-4444-555555555555"),
                    "table:Syslog");
            config = config.withHttp(config.http().orElseThrow().withBatchEvents(2));
            receiver.failNext(2, new HttpReceiver.Reply(503, "{\"text\":\"Server is busy\",\"code\":9}"));
            try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                write(
                        store,
                        syslog(store, "m1"),
                        syslog(store, "m2"),
                        syslog(store, "m3"),
                        syslog(store, "poison"),
                        syslog(store, "m5"));
                write(store, syslog(store, "m6"));
                awaitTrue(
                        "caught up",
                        () -> forwarder.health().caughtUp()
                                && protocol.messages().containsAll(List.of("m1", "m2", "m3", "m5", "m6")));
                assertThat(protocol.messages()).doesNotContain("poison");
                assertThat(deadLetters(store, "hec"))
                        .singleElement()
                        .satisfies(letter -> assertThat(letter)
                                .startsWith(
                                        "rejected_by_receiver | refused 3 times: HEC 400 code 6: Invalid data format")
                                .contains("\"sourcetype\":\"vigil:syslog\""));
                // 5 rows in requests of at most 2 events; the busy answers were retried
                assertThat(receiver.requests().stream()
                                .filter(request -> request.path().equals(SplunkHecWriter.EVENT_PATH))
                                .count())
                        .isGreaterThanOrEqualTo(4);
                assertThat(forwarder.health().retried()).isPositive();
                System.out.printf(
                        "splunk_hec: %d events of 5 rows arrived, %d duplicates%n",
                        protocol.messages().size(), duplicates(protocol.messages()));
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void aHecRefusalThatNamesNoEventIsNarrowedDownByResendingEventsAlone() throws Exception {
        SiemReceivers.Hec protocol = new SiemReceivers.Hec("tok", false);
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config =
                    sink("hec-unnamed", "splunk_hec", "http://127.0.0.1:" + port, secret("hec", "tok"), "table:Syslog");
            try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                write(store, syslog(store, "u1"), syslog(store, "unnamed"), syslog(store, "u3"));
                awaitTrue(
                        "caught up",
                        () -> forwarder.health().caughtUp()
                                && forwarder.health().deadLettered() == 1);
                // the good events were never dead-lettered with the bad one
                assertThat(protocol.messages()).containsExactly("u1", "u3");
                assertThat(deadLetters(store, "hec-unnamed"))
                        .singleElement()
                        .satisfies(letter -> assertThat(letter)
                                .startsWith("rejected_by_receiver | refused 3 times: HEC 400 code 6")
                                .contains("unnamed"));
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void splunkHecWithIndexerAcknowledgementCountsEventsOnlyWhenAcknowledged() throws Exception {
        SiemReceivers.Hec protocol = new SiemReceivers.Hec("tok", true);
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config = sink(
                    "hec-ack",
                    "splunk_hec",
                    "http://127.0.0.1:" + port + "/services/collector/event",
                    secret("hec", "tok"),
                    "table:Syslog");
            config = config.withHttp(config.http().orElseThrow().withIndexerAck(true));
            try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                write(store, syslog(store, "a1"), syslog(store, "a2"));
                awaitTrue(
                        "caught up",
                        () -> forwarder.health().caughtUp()
                                && forwarder.health().sent() == 2);
                assertThat(protocol.messages()).containsExactlyInAnyOrder("a1", "a2");
                assertThat(receiver.requests().stream()
                                .filter(request -> request.path().equals(SplunkHecWriter.ACK_PATH))
                                .count())
                        .as("the ack was queried until true")
                        .isGreaterThanOrEqualTo(2);
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void openSearchHonoursEachItemsStatusAndSurvivesAReceiverRestart() throws Exception {
        SiemReceivers.Bulk protocol = new SiemReceivers.Bulk("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config = sink(
                    "elastic",
                    "elasticsearch",
                    "http://127.0.0.1:" + port,
                    secret("elastic", "elastic:changeme"),
                    "table:Syslog",
                    "alerts");
            try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                write(store, syslog(store, "m1"), syslog(store, "flaky"), syslog(store, "poison"));
                write(store, alert(store, "x"));
                awaitTrue(
                        "caught up",
                        () -> forwarder.health().caughtUp()
                                && forwarder.health().deadLettered() == 1);
                assertThat(protocol.messages()).containsExactly("", "flaky", "m1");
                assertThat(protocol.indexes).contains("vigil-syslog-2026.11.25", "vigil-securityalert-2026.11.25");
                assertThat(deadLetters(store, "elastic"))
                        .singleElement()
                        .satisfies(letter -> assertThat(letter)
                                .startsWith("rejected_by_receiver | refused 3 times: status 400: "
                                        + "mapper_parsing_exception: failed to parse field [SyslogMessage]")
                                .contains("\"_index\":\"vigil-syslog-2026.11.25\""));

                receiver.stop();
                write(store, syslog(store, "m4"));
                write(store, syslog(store, "m5"));
                awaitTrue(
                        "a failed attempt",
                        () -> forwarder.health().lastError().orElse("").contains("Connect"));
                receiver.start(port);
                awaitTrue(
                        "caught up again",
                        () -> forwarder.health().caughtUp()
                                && protocol.messages().containsAll(List.of("m4", "m5")));
                // a repeat overwrites its own _id instead of adding a document
                assertThat(protocol.documents).hasSize(5);
                System.out.printf("opensearch: 5 documents, %d overwritten repeats%n", protocol.duplicates.get());
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void aRestartedVigilResumesAnHttpSinkFromItsPosition() throws Exception {
        SiemReceivers.Hec protocol = new SiemReceivers.Hec("tok", false);
        try (HttpReceiver receiver = new HttpReceiver(protocol)) {
            int port = receiver.start(0);
            SinkConfig config =
                    sink("hec", "splunk_hec", "http://127.0.0.1:" + port, secret("hec", "tok"), "table:Syslog");
            try (DuckDbStore store = open()) {
                try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                    write(store, syslog(store, "before"));
                    awaitTrue(
                            "caught up",
                            () -> forwarder.health().caughtUp()
                                    && forwarder.health().sent() == 1);
                }
                receiver.stop();
                write(store, syslog(store, "while away"));
            }
            receiver.start(port);
            try (DuckDbStore store = open();
                    Forwarder forwarder = Forwarder.start(
                            config.withStart(SubscriptionStart.LATEST), store, clock, metrics, Optional.empty())) {
                write(store, syslog(store, "after"));
                awaitTrue(
                        "caught up",
                        () -> forwarder.health().caughtUp()
                                && protocol.messages().size() >= 3);
                assertThat(protocol.messages()).containsExactly("before", "while away", "after");
            }
        }
    }

    @Test
    void aSinkStopsAtOnceWhileItsReceiverStallsAndSendsTheBatchAgainWhenStarted() throws Exception {
        SiemReceivers.Bulk protocol = new SiemReceivers.Bulk("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==");
        try (HttpReceiver receiver = new HttpReceiver(protocol);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config = sink(
                    "stall", "opensearch", "http://127.0.0.1:" + port, secret("o", "elastic:changeme"), "table:Syslog");
            // the default request timeout (30 s): stopping must not wait for it
            config = config.withHttp(config.http().orElseThrow().withRequestTimeout(Duration.ofSeconds(30)));
            receiver.stall();
            Forwarder stalled = Forwarder.start(config, store, clock, metrics, Optional.empty());
            write(store, syslog(store, "held"));
            awaitTrue("a held request", () -> receiver.stalledRequests() >= 1);
            long started = System.nanoTime();
            stalled.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            receiver.release();

            try (Forwarder again = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                awaitTrue(
                        "held",
                        () -> again.health().caughtUp() && protocol.messages().contains("held"));
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void httpsWithTheSinksOwnCaFile() throws Exception {
        TestCertificates certificates = TestCertificates.create(secrets.resolve("pki"));
        SiemReceivers.Webhook protocol = new SiemReceivers.Webhook("s", clock);
        try (HttpReceiver receiver =
                        new HttpReceiver(protocol, Optional.of(TransportsTest.serverContext(certificates)));
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig untrusted =
                    sink("untrusted", "webhook", "https://localhost:" + port + "/", secret("s", "s"), "alerts");
            SinkConfig trusted =
                    sink("trusted", "webhook", "https://localhost:" + port + "/", secret("s", "s"), "alerts");
            trusted = trusted.withHttp(
                    trusted.http().orElseThrow().withCaFile(Optional.of(certificates.caCertificate())));
            try (Forwarder refused = Forwarder.start(untrusted, store, clock, metrics, Optional.empty())) {
                write(store, alert(store, "tls"));
                awaitTrue("a refused handshake", () -> refused.health().failed() >= 1);
                assertThat(refused.health().lastError().orElseThrow()).containsIgnoringCase("SSL");
            }
            try (Forwarder forwarder = Forwarder.start(trusted, store, clock, metrics, Optional.empty())) {
                awaitTrue("delivered over https", () -> protocol.bodies.size() == 1);
                assertThat(forwarder.health().endpoint()).isEqualTo("https://localhost:" + port + "/");
            }
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void badHttpSinksAreRefusedWhenBuilt() throws Exception {
        Route alerts = Route.parse(List.of("alerts"));
        assertThatThrownBy(() -> SinkConfig.of("s", "webhook", "127.0.0.1:8080", alerts))
                .hasMessageContaining("http:// or https:// URL");
        assertThatThrownBy(() -> SinkConfig.of("s", "webhook", "ftp://siem.example/x", alerts))
                .hasMessageContaining("http:// or https:// URL");
        assertThatThrownBy(() -> SinkConfig.of("s", "opensearch", "https://elastic:pw@siem.example:9200", alerts))
                .hasMessageContaining("--secret-file");
        assertThatThrownBy(() -> SinkConfig.of("s", "syslog_cef", "https://siem.example", alerts))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> SinkTypes.check(SinkConfig.of("s", "webhook", "https://siem.example/hook", alerts)))
                .hasMessageContaining("a webhook sink needs --secret-file");
        SinkConfig hec = SinkConfig.of("s", "splunk_hec", "https://splunk.example:8088", alerts);
        assertThatThrownBy(() -> SinkTypes.check(
                        hec.withHttp(hec.http().orElseThrow().withSecretFile(Optional.of(secrets.resolve("missing"))))))
                .hasMessageContaining("cannot be read");
        Path empty = Files.writeString(secrets.resolve("empty"), "\n");
        assertThatThrownBy(() ->
                        SinkTypes.check(hec.withHttp(hec.http().orElseThrow().withSecretFile(Optional.of(empty)))))
                .hasMessageContaining("is empty");
        SinkConfig badPath = SinkConfig.of("s", "splunk_hec", "https://splunk.example:8088/collector", alerts);
        assertThatThrownBy(() -> SinkTypes.check(
                        badPath.withHttp(badPath.http().orElseThrow().withSecretFile(Optional.of(secret("t", "t"))))))
                .hasMessageContaining("/services/collector/event");
        SinkConfig tables = SinkConfig.of(
                "s", "webhook", "https://siem.example/hook", Route.parse(List.of("alerts", "table:Syslog")));
        assertThatThrownBy(() -> SinkTypes.check(tables.withHttp(tables.http()
                        .orElseThrow()
                        .withSecretFile(Optional.of(secret("t", "t")))
                        .withPayload(HttpSinkSettings.Payload.AZURE_COMMON_ALERT))))
                .hasMessageContaining("only route is alerts");
        assertThatThrownBy(() -> SinkConfig.of("s", "webhook", "http://siem.example/hook", alerts)
                        .http()
                        .orElseThrow()
                        .withCaFile(Optional.of(secrets.resolve("ca.pem"))))
                .hasMessageContaining("https");
    }
}
