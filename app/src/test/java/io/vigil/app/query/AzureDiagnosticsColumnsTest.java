package io.vigil.app.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.QueryResult;
import io.vigil.formats.resourcelog.AzureResourceLogFormat;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.store.DuckDbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource logs in AzureDiagnostics mode: a property without a column gets a typed suffix column on first
 * sight, which queries (Sentinel's {@code hostname_s}, {@code Tags_s} ...) then bind and read; the table stops
 * growing at 500 columns and keeps the rest in AdditionalFields.
 */
class AzureDiagnosticsColumnsTest {
    @TempDir
    Path dataDir;

    @Test
    void propertiesBecomeTypedSuffixColumnsThatQueriesRead() throws Exception {
        String record;
        try (DuckDbStore store = QueryFixtures.openStore(dataDir);
                QueryService service =
                        new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 100)) {
            assertThat(store.catalog().require("AzureDiagnostics").indexOf("hostname_s"))
                    .isNegative();
            record = "{\"records\":[{\"time\":\"2026-01-10T08:00:00Z\",\"resourceId\":"
                    + "\"/SUBSCRIPTIONS/1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/APPLICATIONGATEWAYS/GW\","
                    + "\"category\":\"ApplicationGatewayFirewallLog\",\"operationName\":\"ApplicationGatewayFirewall\","
                    + "\"properties\":{\"hostname\":\"shop.contoso.com\",\"Tags\":\"sqli\",\"anomalyScore\":15,"
                    + "\"blocked\":true,\"sessionId\":\"6f1c2a44-1b0e-4c55-9a43-2b5f4a0e7d11\","
                    + "\"firstSeen\":\"2026-01-10T07:59:00Z\",\"weird name\":\"kept\",\"nested\":{}}}]}";
            List<Row> rows = parse(store, record);
            assertThat(rows).hasSize(1);
            store.write(rows).get(30, TimeUnit.SECONDS);

            TableSchema grown = store.catalog().require("AzureDiagnostics");
            assertThat(grown.column("hostname_s").orElseThrow().type()).isEqualTo(ColumnType.STRING);
            assertThat(grown.column("Tags_s").orElseThrow().type()).isEqualTo(ColumnType.STRING);
            assertThat(grown.column("anomalyScore_d").orElseThrow().type()).isEqualTo(ColumnType.REAL);
            assertThat(grown.column("blocked_b").orElseThrow().type()).isEqualTo(ColumnType.BOOL);
            assertThat(grown.column("sessionId_g").orElseThrow().type()).isEqualTo(ColumnType.GUID);
            assertThat(grown.column("firstSeen_t").orElseThrow().type()).isEqualTo(ColumnType.DATETIME);

            QueryResult result = service.execute(
                    "AzureDiagnostics | where hostname_s == 'shop.contoso.com' and Tags_s has 'sqli'"
                            + " | project hostname_s, anomalyScore_d, blocked_b, AdditionalFields",
                    Optional.empty());
            assertThat(result.rows()).hasSize(1);
            assertThat(result.rows().get(0).subList(0, 3)).containsExactly("shop.contoso.com", 15.0, true);
            assertThat(result.rows().get(0).get(3).toString())
                    .contains("weird name")
                    .contains("nested");

            // a second record of the same shape adds nothing; the columns survive a restart
            store.write(parse(store, record)).get(30, TimeUnit.SECONDS);
            assertThat(store.catalog().require("AzureDiagnostics").columnCount())
                    .isEqualTo(grown.columnCount());
        }
        try (DuckDbStore store = QueryFixtures.openStore(dataDir);
                QueryService service =
                        new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 100)) {
            assertThat(store.catalog()
                            .require("AzureDiagnostics")
                            .column("sessionId_g")
                            .orElseThrow()
                            .type())
                    .isEqualTo(ColumnType.STRING)
                    .as("a GUID column reads back as a string column, as custom tables' do");
            store.write(parse(store, record)).get(30, TimeUnit.SECONDS);
            assertThat(service.execute(
                                    "AzureDiagnostics | where hostname_s == 'shop.contoso.com' | count",
                                    Optional.empty())
                            .rows())
                    .containsExactly(List.of(3L));
        }
    }

    @Test
    void theTableStopsAtFiveHundredColumnsAndKeepsTheRestInAdditionalFields() throws Exception {
        try (DuckDbStore store = QueryFixtures.openStore(dataDir)) {
            int before = store.catalog().require("AzureDiagnostics").columnCount();
            StringBuilder properties = new StringBuilder();
            for (int i = 0; i < 500 - before + 5; i++) {
                if (i > 0) {
                    properties.append(',');
                }
                properties
                        .append("\"field")
                        .append(i)
                        .append("\":\"v")
                        .append(i)
                        .append('"');
            }
            String record = "{\"records\":[{\"time\":\"2026-01-10T08:00:00Z\",\"resourceId\":\"/SUBSCRIPTIONS/1\","
                    + "\"category\":\"SomeCategory\",\"properties\":{" + properties + "}}]}";
            List<Row> rows = parse(store, record);
            store.write(rows).get(60, TimeUnit.SECONDS);
            TableSchema grown = store.catalog().require("AzureDiagnostics");
            assertThat(grown.columnCount()).isEqualTo(500);
            String additional = rows.get(0).get("AdditionalFields").toString();
            for (int i = 500 - before; i < 500 - before + 5; i++) {
                assertThat(additional).contains("\"field" + i + "\"");
            }
        }
    }

    private static List<Row> parse(DuckDbStore store, String json) {
        List<Row> rows = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        new AzureResourceLogFormat()
                .parse(
                        "test",
                        json.getBytes(UTF_8),
                        ParseContext.of(store.catalog(), QueryFixtures.CLOCK),
                        new RecordSink() {
                            @Override
                            public void row(Row row) {
                                rows.add(row);
                            }

                            @Override
                            public void deadLetter(DeadLetter deadLetter) {
                                deadLetters.add(deadLetter);
                            }
                        });
        assertThat(deadLetters).isEmpty();
        return rows;
    }
}
