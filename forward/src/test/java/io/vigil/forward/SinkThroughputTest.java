package io.vigil.forward;

import io.vigil.metrics.Metrics;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind docs/benchmarks.md's sink figures, run on demand ({@code -Dvigil.bench=true}): rows
 * are committed first (the ingest rate of the same run), then each sink starts from the earliest batch and
 * is timed until its strict loopback receiver holds every row. Receivers parse and check every request on
 * the same two cores, so the figures are a floor.
 */
@EnabledIfSystemProperty(named = "vigil.bench", matches = "true")
class SinkThroughputTest {
    private static final int ROWS = Integer.getInteger("vigil.bench.rows", 50_000);
    private static final int BATCH = 5_000;

    @TempDir
    Path dataDir;

    @Test
    void eachSinkDeliversAStoredBacklog() throws Exception {
        Metrics metrics = new Metrics();
        Clock clock = Clock.systemUTC();
        Path secret = Files.writeString(dataDir.resolve("secret"), "elastic:changeme\n");
        try (DuckDbStore store = DuckDbStore.open(
                dataDir.resolve("store"),
                StoreOptions.builder().tenantId("bench").build(),
                clock,
                metrics)) {
            long started = System.nanoTime();
            for (int written = 0; written < ROWS; written += BATCH) {
                List<Row> rows = new ArrayList<>(BATCH);
                for (int i = written; i < written + BATCH; i++) {
                    rows.add(store.catalog()
                            .require("Syslog")
                            .newRow()
                            .set("TimeGenerated", Instant.now())
                            .set("Computer", "vm-" + (i % 50))
                            .set("Facility", "authpriv")
                            .set("SeverityLevel", "info")
                            .set("ProcessName", "sshd")
                            .set("ProcessID", 1000 + i % 5000)
                            .set(
                                    "SyslogMessage",
                                    "Accepted publickey for user" + i + " from 10.0.0." + (i % 250)
                                            + " port 22 ssh2: ED25519 SHA256:abc")
                            .build());
                }
                store.write(rows).get(120, TimeUnit.SECONDS);
            }
            double ingest = ROWS / seconds(started);
            System.out.printf("BENCH ingest %,d rows: %,.0f rows/s%n", ROWS, ingest);

            try (SyslogReceiver receiver = new SyslogReceiver(Framing.OCTET_COUNTING)) {
                int port = receiver.start(0);
                SinkConfig config = SinkConfig.of("b-syslog", "syslog_json", "127.0.0.1:" + port, route())
                        .withTransport(TransportKind.TCP, Framing.OCTET_COUNTING)
                        .withStart(SubscriptionStart.EARLIEST);
                time("syslog_json/tcp", config, store, clock, metrics, receiver::count, ingest);
            }
            SiemReceivers.Hec hec = new SiemReceivers.Hec("elastic:changeme", false);
            try (HttpReceiver receiver = new HttpReceiver(hec)) {
                int port = receiver.start(0);
                time(
                        "splunk_hec",
                        http("b-hec", "splunk_hec", port, secret),
                        store,
                        clock,
                        metrics,
                        () -> hec.events.size(),
                        ingest);
            }
            SiemReceivers.Bulk bulk = new SiemReceivers.Bulk(OpenSearchWriter.authorization("elastic:changeme"));
            try (HttpReceiver receiver = new HttpReceiver(bulk)) {
                int port = receiver.start(0);
                time(
                        "opensearch",
                        http("b-bulk", "opensearch", port, secret),
                        store,
                        clock,
                        metrics,
                        () -> bulk.documents.size(),
                        ingest);
            }
            SiemReceivers.Webhook webhook = new SiemReceivers.Webhook("elastic:changeme", clock);
            try (HttpReceiver receiver = new HttpReceiver(webhook)) {
                int port = receiver.start(0);
                time(
                        "webhook",
                        http("b-hook", "webhook", port, secret),
                        store,
                        clock,
                        metrics,
                        () -> webhook.bodies.size(),
                        ingest);
            }
        }
    }

    private static Route route() {
        return Route.parse(List.of("table:Syslog"));
    }

    private static SinkConfig http(String name, String type, int port, Path secret) {
        SinkConfig config = SinkConfig.of(name, type, "http://127.0.0.1:" + port + "/", route())
                .withStart(SubscriptionStart.EARLIEST);
        return config.withHttp(config.http().orElseThrow().withSecretFile(Optional.of(secret)));
    }

    private static void time(
            String label,
            SinkConfig config,
            DuckDbStore store,
            Clock clock,
            Metrics metrics,
            LongSupplier received,
            double ingest)
            throws Exception {
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(10).toNanos();
        try (Forwarder forwarder = Forwarder.start(config, store, clock, metrics, Optional.empty())) {
            while (received.getAsLong() < ROWS && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            double rate = received.getAsLong() / seconds(started);
            System.out.printf(
                    "BENCH %s: %,d events in %.2f s = %,.0f events/s (%.2f of the ingest rate), failed %d%n",
                    label,
                    received.getAsLong(),
                    seconds(started),
                    rate,
                    rate / ingest,
                    forwarder.health().failed());
        }
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }
}
