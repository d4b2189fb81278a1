package io.vigil.detect.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.metrics.Metrics;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NRT rules on a real store's commit stream: each batch's rows once, joins see the other tables whole. */
class NrtRunnerTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(NOW);

    /** A new service (7045) on a host where the audit log was cleared (1102): a join of two tables. */
    private static final AnalyticRule RULE = ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", """
                    id: 3f0c8a2e-0000-4000-8000-000000007045
                    name: New service after log clearing
                    description: Event 7045 on a host whose audit log was cleared.
                    severity: High
                    kind: NRT
                    query: |
                      Event
                      | where EventID == 7045
                      | join kind=inner (SecurityEvent | where EventID == 1102 | distinct Computer) on Computer
                      | project TimeGenerated, Computer, RenderedDescription
                    entityMappings:
                      - entityType: Host
                        fieldMappings:
                          - identifier: HostName
                            columnName: Computer
                    eventGroupingSettings:
                      aggregationKind: AlertPerResult
                    """)).rule();

    private static Row service(DuckDbStore store, String computer, String name) {
        return store.catalog()
                .require("Event")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("EventID", 7045)
                .set("Computer", computer)
                .set("RenderedDescription", "A service was installed: " + name)
                .build();
    }

    private static Row cleared(DuckDbStore store, String computer) {
        return store.catalog()
                .require("SecurityEvent")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("EventID", 1102)
                .set("Computer", computer)
                .build();
    }

    private static List<List<Object>> alerts(DuckDbStore store) throws InterruptedException {
        QueryResult result = KqlEngine.builder(store)
                .build()
                .execute(
                        "SecurityAlert | extend Host = tostring(parse_json(Entities)[0].HostName)"
                                + " | project Host, ProviderName | order by Host asc",
                        QueryParameters.at(NOW),
                        QueryLimits.DEFAULT);
        return result.rows();
    }

    @Test
    void eachBatchIsMatchedOnceAgainstWholeOtherTables() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, new Metrics())) {
            store.write(List.of(cleared(store, "dc01"))).get(30, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(1));
            store.write(List.of(service(store, "dc01", "evil"), service(store, "web01", "benign")))
                    .get(30, TimeUnit.SECONDS);
            AlertSink sink =
                    new AlertSink(store, KqlEngine.builder(store).clock(clock).build(), QueryLimits.DEFAULT);
            NrtRunner runner = new NrtRunner(store, clock, QueryLimits.DEFAULT, sink, () -> List.of(RULE));
            try (CommitSubscription subscription = store.subscribe(
                    NrtRunner.SUBSCRIBER, io.vigil.spi.CommitStream.SubscriptionStart.EARLIEST, runner)) {
                clock.advance(Duration.ofSeconds(1));
                store.write(List.of(service(store, "dc01", "second"))).get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (alerts(store).size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                // both 7045 batches on dc01 alert once each; web01 never had its log cleared
                assertThat(alerts(store))
                        .containsExactly(List.of("dc01", "ASI NRT Alerts"), List.of("dc01", "ASI NRT Alerts"));
            }
        }
    }

    @Test
    void batchesCommittedInTheSameMicrosecondAreMatchedApart() throws Exception {
        // the clock never moves: both batches carry the same ingestion time and only their batch ids differ
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, clock, new Metrics())) {
            store.write(List.of(cleared(store, "dc01"))).get(30, TimeUnit.SECONDS);
            AlertSink sink =
                    new AlertSink(store, KqlEngine.builder(store).clock(clock).build(), QueryLimits.DEFAULT);
            NrtRunner runner = new NrtRunner(store, clock, QueryLimits.DEFAULT, sink, () -> List.of(RULE));
            try (CommitSubscription subscription =
                    store.subscribe(NrtRunner.SUBSCRIBER, io.vigil.spi.CommitStream.SubscriptionStart.LATEST, runner)) {
                store.write(List.of(service(store, "dc01", "first"))).get(30, TimeUnit.SECONDS);
                store.write(List.of(service(store, "dc01", "second"))).get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (alerts(store).size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(500); // a run that saw the other batch's row too would add alerts now
                assertThat(alerts(store))
                        .containsExactly(List.of("dc01", "ASI NRT Alerts"), List.of("dc01", "ASI NRT Alerts"));
            }
        }
    }
}
