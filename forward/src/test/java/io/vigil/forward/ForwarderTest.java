package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.cef.CefParser;
import io.vigil.metrics.Metrics;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwarderTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);
    private final Metrics metrics = new Metrics();

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, metrics);
    }

    private static SinkConfig sink(int port, String... route) {
        return SinkConfig.of("siem", "syslog_cef", "127.0.0.1:" + port, Route.parse(List.of(route)))
                .withStart(SubscriptionStart.EARLIEST)
                .withMaxBackoff(Duration.ofMillis(300));
    }

    private static void write(DuckDbStore store, Row... rows) throws Exception {
        store.write(List.of(rows)).get(30, TimeUnit.SECONDS);
    }

    private static Row syslog(DuckDbStore store, String message) {
        return store.catalog()
                .require("Syslog")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("SyslogMessage", message)
                .build();
    }

    private static Row alert(DuckDbStore store, String name) {
        return store.catalog()
                .require("SecurityAlert")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("AlertName", name)
                .set("AlertSeverity", "High")
                .build();
    }

    private static String cefName(String message) {
        return CefParser.parse(message.substring(message.indexOf("CEF:") + 4))
                .header()
                .get(5);
    }

    private static String syslogMessage(String message) {
        return CefParser.parse(message.substring(message.indexOf("CEF:") + 4)).extensions().stream()
                .filter(extension -> extension.key().equals("SyslogMessage"))
                .findFirst()
                .orElseThrow()
                .value();
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

    @Test
    void deliversTheRoutedTablesInCommitOrderWithAnRfc5424Header() throws Exception {
        try (SyslogReceiver receiver = new SyslogReceiver(Framing.OCTET_COUNTING);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            SinkConfig config =
                    sink(port, "alerts", "table:Syslog").withTransport(TransportKind.TCP, Framing.OCTET_COUNTING);
            try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
                write(store, alert(store, "Spray"));
                write(
                        store,
                        store.catalog()
                                .require("SigninLogs")
                                .newRow()
                                .set("UserPrincipalName", "a")
                                .build());
                write(store, syslog(store, "one"), syslog(store, "two\nlines"));

                List<String> received = receiver.await(3, WAIT);
                assertThat(received.getFirst())
                        .startsWith("<83>1 2026-11-25T12:00:00.000Z vigil vigil - SecurityAlert - CEF:0|");
                assertThat(cefName(received.get(0))).isEqualTo("Spray");
                assertThat(syslogMessage(received.get(1))).isEqualTo("one");
                assertThat(syslogMessage(received.get(2))).isEqualTo("two\nlines");

                awaitTrue("caught up", () -> forwarder.health().caughtUp());
                SinkHealth health = forwarder.health();
                assertThat(health.sent()).isEqualTo(3);
                assertThat(health.failed()).isZero();
                assertThat(health.lastError()).isEmpty();
                assertThat(metrics.value("forward_events_sent_total", "sink", "siem", "type", "syslog_cef"))
                        .isEqualTo(3);
            }
            assertThat(receiver.messages()).hasSize(3);
        }
    }

    @Test
    void aReceiverThatIsDownOrGoesDownMidStreamLosesNothing() throws Exception {
        int port = SyslogReceiver.freePort();
        try (SyslogReceiver receiver = new SyslogReceiver(Framing.LF);
                DuckDbStore store = open();
                Forwarder forwarder =
                        Forwarder.start(sink(port, "table:Syslog"), store, clock, metrics, Optional.empty())) {
            write(store, syslog(store, "m1"));
            write(store, syslog(store, "m2"), syslog(store, "m3"));
            awaitTrue("a failed attempt", () -> forwarder.health().failed() >= 2);
            assertThat(forwarder.health().lastError()).isPresent();
            assertThat(forwarder.health().caughtUp()).isFalse();

            receiver.start(port);
            receiver.await(3, WAIT);

            // the receiver dies mid-stream and comes back
            receiver.stop();
            write(store, syslog(store, "m4"));
            write(store, syslog(store, "m5"));
            receiver.start(port);
            write(store, syslog(store, "m6"));
            awaitTrue(
                    "caught up",
                    () -> forwarder.health().caughtUp()
                            && receiver.messages().stream()
                                            .map(ForwarderTest::syslogMessage)
                                            .distinct()
                                            .count()
                                    == 6);

            List<String> delivered = receiver.messages().stream()
                    .map(ForwarderTest::syslogMessage)
                    .toList();
            assertThat(delivered).containsAll(List.of("m1", "m2", "m3", "m4", "m5", "m6"));
            // at least once, in order: a batch sent again repeats, it never jumps ahead
            assertThat(delivered.stream().distinct().toList()).containsExactly("m1", "m2", "m3", "m4", "m5", "m6");
            assertThat(forwarder.health().retried()).isPositive();
        }
    }

    @Test
    void aRestartedVigilResumesFromTheSinksPosition() throws Exception {
        try (SyslogReceiver receiver = new SyslogReceiver(Framing.LF)) {
            int port = receiver.start(0);
            try (DuckDbStore store = open()) {
                try (Forwarder forwarder =
                        Forwarder.start(sink(port, "table:Syslog"), store, clock, metrics, Optional.empty())) {
                    write(store, syslog(store, "before"));
                    receiver.await(1, WAIT);
                    awaitTrue("caught up", () -> forwarder.health().caughtUp());
                }
                // committed while forwarding is stopped
                write(store, syslog(store, "while away"));
            }
            try (DuckDbStore store = open();
                    Forwarder forwarder = Forwarder.start(
                            sink(port, "table:Syslog").withStart(SubscriptionStart.LATEST),
                            store,
                            clock,
                            metrics,
                            Optional.empty())) {
                write(store, syslog(store, "after"));
                receiver.await(3, WAIT);
                awaitTrue("caught up", () -> forwarder.health().caughtUp());
                assertThat(receiver.messages().stream().map(ForwarderTest::syslogMessage))
                        .containsExactly("before", "while away", "after");
            }
        }
    }

    @Test
    void aBadSettingIsRefusedWhenTheSinkIsBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SinkConfig.of("siem", "syslog_xml", "127.0.0.1:514", Route.parse(List.of("alerts"))))
                .hasMessageContaining("unknown sink type 'syslog_xml'");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SinkConfig.of("siem", "syslog_cef", "siem.example", Route.parse(List.of("alerts"))))
                .hasMessageContaining("HOST:PORT");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SinkConfig.of("siem", "syslog_cef", "h:514", Route.parse(List.of("SecurityAlert"))))
                .hasMessageContaining("alerts, incidents or table:NAME");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SinkConfig.of("siem", "syslog_cef", "h:6514", Route.parse(List.of("alerts")))
                                .withTransport(TransportKind.TLS, Framing.LF))
                .hasMessageContaining("RFC 5425");
    }
}
