package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.metrics.Metrics;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.CommitStream;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitStreamTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, new Metrics());
    }

    private static Row syslog(DuckDbStore store, String message, Instant time) {
        return store.catalog()
                .require("Syslog")
                .newRow()
                .set("TimeGenerated", time)
                .set("SyslogMessage", message)
                .set("ProcessID", 7)
                .build();
    }

    private static Row signIn(DuckDbStore store, String name) {
        return store.catalog()
                .require("SigninLogs")
                .newRow()
                .set("UserPrincipalName", name)
                .set("DeviceDetail", new Dynamic("{\"a\":[1,2]}"))
                .build();
    }

    private static BatchCommitted next(BlockingQueue<BatchCommitted> received) throws InterruptedException {
        BatchCommitted batch = received.poll(30, TimeUnit.SECONDS);
        assertThat(batch).as("a batch within 30 s").isNotNull();
        return batch;
    }

    @Test
    void deliversEachCommittedBatchWithItsRowsAndTimes() throws Exception {
        try (DuckDbStore store = open()) {
            BlockingQueue<BatchCommitted> received = new LinkedBlockingQueue<>();
            try (CommitSubscription subscription =
                    store.subscribe("rules", SubscriptionStart.EARLIEST, received::add)) {
                store.write(List.of(
                                syslog(store, "first", NOW.minusSeconds(60)),
                                syslog(store, "second", NOW.minusSeconds(5))))
                        .get(10, TimeUnit.SECONDS);
                store.write(List.of(signIn(store, "spray"))).get(10, TimeUnit.SECONDS);

                BatchCommitted first = next(received);
                assertThat(first.workspace()).isEqualTo("ws-1");
                assertThat(first.table()).isEqualTo("Syslog");
                assertThat(first.rowCount()).isEqualTo(2);
                assertThat(first.minTimeGenerated()).isEqualTo(NOW.minusSeconds(60));
                assertThat(first.maxTimeGenerated()).isEqualTo(NOW.minusSeconds(5));
                assertThat(first.ingestionTime()).isEqualTo(NOW);
                assertThat(store.rows(first))
                        .extracting(row -> row.get("SyslogMessage"), row -> row.get("TimeGenerated"))
                        .containsExactly(tuple("first", NOW.minusSeconds(60)), tuple("second", NOW.minusSeconds(5)));

                BatchCommitted second = next(received);
                assertThat(second.table()).isEqualTo("SigninLogs");
                assertThat(second.batchId()).isGreaterThan(first.batchId());
                // a row without TimeGenerated gets the ingestion time, in the row and in the batch's range
                assertThat(second.minTimeGenerated()).isEqualTo(NOW);
                List<Row> alerts = store.rows(second);
                assertThat(alerts).hasSize(1);
                assertThat(alerts.getFirst().get("UserPrincipalName")).isEqualTo("spray");
                assertThat(alerts.getFirst().get("DeviceDetail")).isEqualTo(new Dynamic("{\"a\":[1,2]}"));
                assertThat(alerts.getFirst().get("TimeGenerated")).isEqualTo(NOW);

                awaitCaughtUp(subscription);
                assertThat(subscription.position()).isEqualTo(second.batchId());
            }
        }
    }

    @Test
    void theBacklogAfterAPositionCountsBatchesAndRowsPerTable() throws Exception {
        try (DuckDbStore store = open()) {
            assertThat(store.backlog(0)).isEmpty();
            store.write(List.of(syslog(store, "one", NOW))).get(10, TimeUnit.SECONDS);
            assertThat(store.backlog(0)).containsExactly(new CommitStream.Backlog("Syslog", 1, 1, NOW));
            Instant later = NOW.plusSeconds(5);
            clock.set(later);
            store.write(List.of(syslog(store, "two", later), syslog(store, "three", later)))
                    .get(10, TimeUnit.SECONDS);
            store.write(List.of(signIn(store, "a"))).get(10, TimeUnit.SECONDS);

            List<CommitStream.Backlog> all = store.backlog(0);
            assertThat(all)
                    .containsExactly(
                            new CommitStream.Backlog("SigninLogs", 1, 1, later),
                            new CommitStream.Backlog("Syslog", 2, 3, NOW));
            // a position past every batch: nothing behind
            assertThat(store.backlog(Long.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void aSubscriberResumesAfterItsLastAcknowledgedBatchAcrossRestarts() throws Exception {
        long firstId;
        try (DuckDbStore store = open()) {
            BlockingQueue<BatchCommitted> received = new LinkedBlockingQueue<>();
            try (CommitSubscription subscription = store.subscribe("sink", SubscriptionStart.EARLIEST, received::add)) {
                store.write(List.of(syslog(store, "one", NOW))).get(10, TimeUnit.SECONDS);
                firstId = next(received).batchId();
                awaitCaughtUp(subscription);
            }
            // committed while the subscriber is away
            store.write(List.of(syslog(store, "two", NOW))).get(10, TimeUnit.SECONDS);
        }
        try (DuckDbStore store = open()) {
            store.write(List.of(syslog(store, "three", NOW))).get(10, TimeUnit.SECONDS);
            BlockingQueue<BatchCommitted> received = new LinkedBlockingQueue<>();
            try (CommitSubscription subscription = store.subscribe("sink", SubscriptionStart.EARLIEST, received::add)) {
                BatchCommitted two = next(received);
                BatchCommitted three = next(received);
                assertThat(two.batchId()).isGreaterThan(firstId);
                assertThat(store.rows(two))
                        .extracting(row -> row.get("SyslogMessage"))
                        .containsExactly("two");
                assertThat(store.rows(three))
                        .extracting(row -> row.get("SyslogMessage"))
                        .containsExactly("three");
                awaitCaughtUp(subscription);
                assertThat(received).isEmpty();
            }
        }
    }

    @Test
    void aNewSubscriberStartingLatestSeesOnlyLaterBatches() throws Exception {
        try (DuckDbStore store = open()) {
            store.write(List.of(syslog(store, "before", NOW))).get(10, TimeUnit.SECONDS);
            BlockingQueue<BatchCommitted> received = new LinkedBlockingQueue<>();
            try (CommitSubscription subscription = store.subscribe("late", SubscriptionStart.LATEST, received::add)) {
                store.write(List.of(syslog(store, "after", NOW))).get(10, TimeUnit.SECONDS);
                BatchCommitted batch = next(received);
                assertThat(store.rows(batch))
                        .extracting(row -> row.get("SyslogMessage"))
                        .containsExactly("after");
                awaitCaughtUp(subscription);
                assertThat(received).isEmpty();
            }
        }
    }

    @Test
    void aFailingListenerGetsTheSameBatchAgainAndNothingAfterItMeanwhile() throws Exception {
        try (DuckDbStore store = open()) {
            AtomicInteger attempts = new AtomicInteger();
            BlockingQueue<BatchCommitted> received = new LinkedBlockingQueue<>();
            try (CommitSubscription subscription = store.subscribe("flaky", SubscriptionStart.EARLIEST, batch -> {
                if (attempts.incrementAndGet() <= 2) {
                    throw new IllegalStateException("sink down");
                }
                received.add(batch);
            })) {
                store.write(List.of(syslog(store, "a", NOW))).get(10, TimeUnit.SECONDS);
                store.write(List.of(syslog(store, "b", NOW))).get(10, TimeUnit.SECONDS);
                BatchCommitted first = next(received);
                BatchCommitted second = next(received);
                assertThat(store.rows(first))
                        .extracting(row -> row.get("SyslogMessage"))
                        .containsExactly("a");
                assertThat(store.rows(second))
                        .extracting(row -> row.get("SyslogMessage"))
                        .containsExactly("b");
                assertThat(attempts.get()).isEqualTo(4);
                awaitCaughtUp(subscription);
            }
        }
    }

    @Test
    void aStuckSubscriberDoesNotHoldUpIngest() throws Exception {
        try (DuckDbStore store = open()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            try (CommitSubscription subscription = store.subscribe("slow", SubscriptionStart.EARLIEST, batch -> {
                holding.countDown();
                release.await();
            })) {
                store.write(List.of(syslog(store, "held", NOW))).get(10, TimeUnit.SECONDS);
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 20; i++) {
                    store.write(List.of(syslog(store, "more " + i, NOW))).get(10, TimeUnit.SECONDS);
                }
                assertThat(subscription.caughtUp()).isFalse();
                release.countDown();
                awaitCaughtUp(subscription);
            }
        }
    }

    @Test
    void oneSubscriptionPerNameAtATime() {
        try (DuckDbStore store = open();
                CommitSubscription subscription = store.subscribe("only", SubscriptionStart.EARLIEST, batch -> {})) {
            assertThatThrownBy(() -> store.subscribe("only", SubscriptionStart.EARLIEST, batch -> {}))
                    .isInstanceOf(VigilException.class)
                    .hasMessageContaining("subscribed already");
            assertThat(subscription.name()).isEqualTo("only");
        }
    }

    @Test
    void customTableRowsReadBackUnderTheSchemaTheyWereWrittenWith() throws Exception {
        try (DuckDbStore store = open()) {
            TableSchema table = store.ensureCustomTable(new TableSchema(
                    "Probe_CL", List.of(new Column("Span", ColumnType.TIMESPAN), new Column("Ok", ColumnType.BOOL))));
            BlockingQueue<BatchCommitted> received = new LinkedBlockingQueue<>();
            try (CommitSubscription subscription =
                    store.subscribe("custom", SubscriptionStart.EARLIEST, received::add)) {
                store.write(List.of(table.newRow()
                                .set("TimeGenerated", NOW.minusMillis(1))
                                .set("Span", Duration.ofMillis(1500))
                                .set("Ok", true)
                                .build()))
                        .get(10, TimeUnit.SECONDS);
                Row row = store.rows(next(received)).getFirst();
                assertThat(row.get("Span")).isEqualTo(Duration.ofMillis(1500));
                assertThat(row.get("Ok")).isEqualTo(true);
                assertThat(row.get("TimeGenerated")).isEqualTo(NOW.minusMillis(1));
                assertThat(row.get("Type")).isEqualTo("Probe_CL");
                awaitCaughtUp(subscription);
            }
        }
    }

    private static void awaitCaughtUp(CommitSubscription subscription) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!subscription.caughtUp() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(subscription.caughtUp()).as("caught up within 30 s").isTrue();
    }
}
