package io.vigil.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.catalog.TableCatalog;
import io.vigil.metrics.Metrics;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFilterTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILTER =
            "where ResultType != \"0\" | project TimeGenerated, UserPrincipalName, IPAddress";

    @TempDir
    Path dataDir;

    // a fixed clock: every batch gets the same ingestion time, so only the batch id tells them apart
    private final TestingClock clock = new TestingClock(NOW);
    private final Metrics metrics = new Metrics();

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, metrics);
    }

    private static Row signin(DuckDbStore store, String user, String resultType) {
        return store.catalog()
                .require("SigninLogs")
                .newRow()
                .set("TimeGenerated", NOW)
                .set("UserPrincipalName", user)
                .set("ResultType", resultType)
                .set("IPAddress", "203.0.113.7")
                .set("AppDisplayName", "Azure Portal")
                .build();
    }

    private static SinkConfig sink(int port, Route route) {
        return SinkConfig.of("siem", "syslog_json", "127.0.0.1:" + port, route)
                .withStart(SubscriptionStart.EARLIEST)
                .withMaxBackoff(Duration.ofMillis(300));
    }

    private static JsonNode json(String message) throws Exception {
        return JSON.readTree(message.substring(message.indexOf('{')));
    }

    @Test
    void theFilterRunsOverEachCommittedBatchAloneAndItsProjectionIsWhatIsSent() throws Exception {
        try (SyslogReceiver receiver = new SyslogReceiver(Framing.LF);
                DuckDbStore store = open()) {
            int port = receiver.start(0);
            // a batch committed before the sink starts is read from its position (EARLIEST) all the same
            store.write(List.of(signin(store, "a@x", "0"), signin(store, "b@x", "50126")))
                    .get(30, TimeUnit.SECONDS);
            Route route = Route.parse(List.of("table:SigninLogs", "alerts")).withFilter("table:SigninLogs", FILTER);
            try (Forwarder forwarder = Forwarder.start(sink(port, route), store, clock, metrics, Optional.empty())) {
                store.write(List.of(signin(store, "c@x", "0"))).get(30, TimeUnit.SECONDS);
                // stored e then d: a filtered batch goes out sorted by value, so its delivery ids survive a restart
                store.write(List.of(signin(store, "e@x", "50126"), signin(store, "d@x", "50053")))
                        .get(30, TimeUnit.SECONDS);
                store.write(List.of(store.catalog()
                                .require("SecurityAlert")
                                .newRow()
                                .set("TimeGenerated", NOW)
                                .set("AlertName", "unfiltered")
                                .build()))
                        .get(30, TimeUnit.SECONDS);

                List<String> received = receiver.await(4, WAIT);
                List<String> users = new ArrayList<>();
                for (String message : received.subList(0, 3)) {
                    JsonNode row = json(message);
                    users.add(row.path("UserPrincipalName").asText());
                    // the projection's columns, then the table
                    assertThat(row.properties().stream().map(field -> field.getKey()))
                            .containsExactly("TimeGenerated", "UserPrincipalName", "IPAddress", "Type");
                    assertThat(row.path("Type").asText()).isEqualTo("SigninLogs");
                    assertThat(row.path("TimeGenerated").asText()).isEqualTo("2026-11-25T12:00:00Z");
                }
                // each batch once: the batches share their ingestion time, so a copy by time would repeat rows
                assertThat(users).containsExactly("b@x", "d@x", "e@x");
                assertThat(json(received.get(3)).path("AlertName").asText()).isEqualTo("unfiltered");
                Thread.sleep(300);
                assertThat(receiver.messages()).hasSize(4);
            }
        }
    }

    @Test
    void aFiltersResultKeepsEachKqlTypeInTheRowRepresentation() throws Exception {
        try (DuckDbStore store = open()) {
            store.write(List.of(signin(store, "a@x", "50126"))).get(30, TimeUnit.SECONDS);
            BatchCommitted batch = firstBatch(store);
            List<Row> rows = RouteFilter.run(
                    "extend Day = 1d, Flag = true, Ratio = 1.5, Small = toint(2), Big = tolong(3),"
                            + " Bag = dynamic({\"a\": [1, 2]}), Later = TimeGenerated + 1h"
                            + " | project UserPrincipalName, TimeGenerated, Day, Flag, Ratio, Small, Big, Bag, Later",
                    store,
                    batch,
                    clock);
            assertThat(rows).hasSize(1);
            Row row = rows.getFirst();
            assertThat(row.table().name()).isEqualTo("SigninLogs");
            assertThat(row.get("UserPrincipalName")).isEqualTo("a@x");
            assertThat(row.get("TimeGenerated")).isEqualTo(NOW);
            assertThat(row.get("Day")).isEqualTo(Duration.ofDays(1));
            assertThat(row.get("Flag")).isEqualTo(true);
            assertThat(row.get("Ratio")).isEqualTo(1.5);
            assertThat(row.get("Small")).isEqualTo(2);
            assertThat(row.get("Big")).isEqualTo(3L);
            assertThat(JSON.readTree(((Dynamic) row.get("Bag")).json())).isEqualTo(JSON.readTree("{\"a\":[1,2]}"));
            assertThat(row.get("Later")).isEqualTo(NOW.plusSeconds(3600));
        }
    }

    /** The one batch committed so far, from the commit stream. */
    private static BatchCommitted firstBatch(DuckDbStore store) throws Exception {
        BlockingQueue<BatchCommitted> batches = new LinkedBlockingQueue<>();
        try (CommitSubscription subscription =
                store.subscribe("test.first", SubscriptionStart.EARLIEST, batches::add)) {
            BatchCommitted batch = batches.poll(30, TimeUnit.SECONDS);
            assertThat(batch).isNotNull();
            return batch;
        }
    }

    @Test
    void aFilterThatDoesNotCompileIsRefusedWhenTheSinkIsBuiltWithTheDiagnostic() {
        try (DuckDbStore store = open()) {
            Route unknownColumn =
                    Route.parse(List.of("table:SigninLogs")).withFilter("table:SigninLogs", "where NoSuchColumn == 1");
            assertThatThrownBy(() -> Forwarder.start(sink(9, unknownColumn), store, clock, metrics, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sink siem: the filter of route 'table:SigninLogs' does not compile")
                    .hasMessageContaining("line 1, column 7")
                    .hasMessageContaining("NoSuchColumn");

            // a filter sees its own table only: another table is unknown to it
            Route otherTable = Route.parse(List.of("alerts"))
                    .withFilter(
                            "alerts", "join kind=inner (SigninLogs) on $left.AlertName == $right.UserPrincipalName");
            assertThatThrownBy(() -> Forwarder.start(sink(9, otherTable), store, clock, metrics, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("route 'alerts' does not compile")
                    .hasMessageContaining("SigninLogs");
        }
    }

    @Test
    void filtersAreCheckedAgainstTheBuiltInCatalogWithoutAStore() {
        List<io.vigil.spi.TableSchema> schemas =
                List.copyOf(TableCatalog.builtIn().tables());
        RouteFilter.check(
                Route.parse(List.of("table:SigninLogs")).withFilter("table:SigninLogs", "| " + FILTER), schemas, clock);
        assertThatThrownBy(() -> RouteFilter.check(
                        Route.parse(List.of("table:SigninLogs"))
                                .withFilter("table:SigninLogs", "where ResultType != \"0\" |"),
                        schemas,
                        clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> RouteFilter.check(
                        Route.parse(List.of("table:NoSuchTable")).withFilter("table:NoSuchTable", "take 1"),
                        schemas,
                        clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no table NoSuchTable");
    }

    @Test
    void aFilterBelongsToARoutedTable() {
        assertThatThrownBy(() -> Route.parse(List.of("alerts")).withFilter("table:SigninLogs", "take 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not routed");
        assertThatThrownBy(() -> Route.parse(List.of("alerts")).withFilter("alerts", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThat(RouteFilter.query("SigninLogs", "| take 1")).isEqualTo("['SigninLogs']\n| take 1");
    }
}
