package io.vigil.detect.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.metrics.Metrics;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on a real DuckDB store and the KQL engine, with a testing clock for both. */
class RuleSchedulerTest {
    private static final Instant DAY = Instant.parse("2026-12-05T00:00:00Z");

    @TempDir
    Path dataDir;

    private final TestingClock clock = new TestingClock(DAY.plusSeconds(10 * 3600));

    private static AnalyticRule rule(String extra) {
        String yaml = """
                id: 7d1e0c55-0000-4000-8000-000000001102
                name: Audit log cleared
                description: Event 1102.
                severity: High
                queryFrequency: 1h
                queryPeriod: 1h
                triggerOperator: gt
                triggerThreshold: 0
                query: SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer, Activity
                entityMappings:
                  - entityType: Host
                    fieldMappings:
                      - identifier: HostName
                        columnName: Computer
                eventGroupingSettings:
                  aggregationKind: AlertPerResult
                """ + extra;
        return ((RuleDocument.Analytic) SentinelRuleReader.readYaml("test", yaml)).rule();
    }

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, new Metrics());
    }

    private static RuleScheduler scheduler(DuckDbStore store, TestingClock clock) {
        return new RuleScheduler(store, KqlEngine.builder(store).clock(clock).build(), clock, QueryLimits.DEFAULT);
    }

    /** Writes a cleared-log event dated {@code time}, ingested at the clock's now. */
    private static void cleared(DuckDbStore store, Instant time, String computer) throws Exception {
        Row row = store.catalog()
                .require("SecurityEvent")
                .newRow()
                .set("TimeGenerated", time)
                .set("EventID", 1102)
                .set("Computer", computer)
                .set("Activity", "1102 - The audit log was cleared.")
                .build();
        store.write(List.of(row)).get(30, TimeUnit.SECONDS);
    }

    private static long storedAlerts(DuckDbStore store, TestingClock clock) throws InterruptedException {
        KqlEngine engine = KqlEngine.builder(store).clock(clock).build();
        return ((Number) engine.execute(
                                "SecurityAlert | count", QueryParameters.at(clock.instant()), QueryLimits.DEFAULT)
                        .rows()
                        .get(0)
                        .get(0))
                .longValue();
    }

    private static Instant at(int hour, int minute) {
        return DAY.plusSeconds(hour * 3600L + minute * 60L);
    }

    @Test
    void alignedWindowsRestartCatchUpAndLateEventsRaiseEachAlertOnce() throws Exception {
        AnalyticRule rule = rule("");
        try (DuckDbStore store = open()) {
            clock.set(at(10, 30));
            cleared(store, at(10, 10), "dc01");
            clock.set(at(11, 5));
            RuleScheduler.Pass first = scheduler(store, clock).runDue(List.of(rule));
            assertThat(first.windows()).isEqualTo(1);
            assertThat(first.alerts()).extracting(Alert::startTime).containsExactly(at(10, 10));
            assertThat(first.alerts().get(0).endTime()).isEqualTo(at(10, 10));
            assertThat(first.incidents()).hasSize(1);

            clock.set(at(11, 40));
            assertThat(scheduler(store, clock).runDue(List.of(rule)).windows()).isZero();
        }
        try (DuckDbStore store = open()) {
            // restarted: the 11:00 window ran already, the 12:00 one is not due
            clock.set(at(11, 59));
            assertThat(scheduler(store, clock).runDue(List.of(rule)).alerts()).isEmpty();
        }
        try (DuckDbStore store = open()) {
            // down from 12:00 to 15:05 while events kept arriving (another writer): four windows caught up
            clock.set(at(12, 31));
            cleared(store, at(12, 30), "dc02");
            clock.set(at(13, 31));
            cleared(store, at(13, 30), "dc03");
            clock.set(at(15, 5));
            RuleScheduler.Pass catchUp = scheduler(store, clock).runDue(List.of(rule));
            assertThat(catchUp.windows()).isEqualTo(4);
            assertThat(catchUp.alerts()).extracting(Alert::startTime).containsExactly(at(12, 30), at(13, 30));

            // an event of 10:45 ingested six hours late: its window runs again and alerts on it alone
            clock.set(at(16, 45));
            cleared(store, at(10, 45), "dc04");
            clock.set(at(17, 5));
            RuleScheduler.Pass late = scheduler(store, clock).runDue(List.of(rule));
            assertThat(late.alerts()).extracting(Alert::startTime).containsExactly(at(10, 45));
            assertThat(late.alerts().get(0).entities().get(0).identifiers()).containsEntry("HostName", "dc04");

            clock.set(at(17, 30));
            assertThat(scheduler(store, clock).runDue(List.of(rule)).alerts()).isEmpty();
            assertThat(storedAlerts(store, clock)).isEqualTo(4);
            assertThat(new AlertSink(
                                    store, KqlEngine.builder(store).clock(clock).build(), QueryLimits.DEFAULT)
                            .currentIncidents(clock.instant()))
                    .hasSize(4);
        }
    }

    @Test
    void suppressionSkipsTheWindowsAfterAnAlertForItsDuration() throws Exception {
        AnalyticRule rule = rule("suppressionEnabled: true\nsuppressionDuration: 2h\n");
        try (DuckDbStore store = open()) {
            clock.set(at(9, 0));
            assertThat(scheduler(store, clock).runDue(List.of(rule)).windows()).isEqualTo(1);
            for (int hour = 9; hour <= 13; hour++) {
                clock.set(at(hour, 20));
                cleared(store, at(hour, 10), "dc" + hour);
            }
            clock.set(at(14, 0));
            RuleScheduler.Pass pass = scheduler(store, clock).runDue(List.of(rule));
            // 10:00 alerts, 11:00 is suppressed, 12:00 (two hours after) alerts, 13:00 suppressed, 14:00 alerts
            assertThat(pass.alerts()).extracting(Alert::startTime).containsExactly(at(9, 10), at(11, 10), at(13, 10));
        }
    }
}
