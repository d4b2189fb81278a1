package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.QueryResult;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.store.DuckDbStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables of the Azure Monitor reference beyond the hand-checked core, as Sentinel content names them: they bind
 * and query in a workspace that never wrote them (empty, with the reference's columns), hold rows once written,
 * and a wildcard union reads only the tables the workspace ever wrote.
 */
class ReferenceTablesQueryTest {
    @TempDir
    Path dataDir;

    @Test
    void tablesSentinelContentNamesBindAndReadEmptyWithTheirColumns() throws Exception {
        try (DuckDbStore store = QueryFixtures.openStore(dataDir);
                QueryService service =
                        new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 100)) {
            for (String table : List.of(
                    "AZFWIdpsSignature",
                    "AZFWApplicationRule",
                    "AZFWNetworkRule",
                    "AZFWDnsQuery",
                    "AZFWThreatIntel",
                    "ADFSSignInLogs",
                    "IdentityInfo",
                    "BehaviorAnalytics",
                    "CoreAzureBackup")) {
                QueryResult result =
                        service.execute(table + " | where TimeGenerated > ago(1d) | take 5", Optional.empty());
                TableSchema schema = store.catalog().require(table);
                assertThat(result.rows()).as(table).isEmpty();
                assertThat(result.columns())
                        .as(table)
                        .extracting(QueryResult.ResultColumn::name)
                        .containsExactlyElementsOf(schema.columns().stream()
                                .map(column -> column.name())
                                .toList());
                assertThat(store.isMaterialized(table)).as(table).isFalse();
            }
            QueryResult counted = service.execute(
                    "AZFWIdpsSignature | summarize count() by SignatureId, bin(TimeGenerated, 1h)", Optional.empty());
            assertThat(counted.rows()).isEmpty();
            assertThat(counted.columns())
                    .extracting(QueryResult.ResultColumn::name)
                    .containsExactly("SignatureId", "TimeGenerated", "count_");
        }
    }

    @Test
    void aWrittenReferenceTableHoldsItsRowsAndJoinsWildcardUnions() throws Exception {
        try (DuckDbStore store = QueryFixtures.openStore(dataDir);
                QueryService service =
                        new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 100)) {
            // no AZFW table was written yet: the wildcard reads none of them (they would only add empty legs)
            QueryResult before = service.execute(
                    "union withsource=SourceTable AZFW*, Heartbeat | summarize count() by SourceTable",
                    Optional.empty());
            assertThat(before.rows()).isEmpty();
            Row row = store.catalog()
                    .require("AZFWIdpsSignature")
                    .newRow()
                    .set("TimeGenerated", QueryFixtures.NOW.minusSeconds(60))
                    .set("SignatureId", "2024897")
                    .set("Severity", 1)
                    .set("SourceIp", "10.1.2.3")
                    .build();
            store.write(List.of(row)).get(30, TimeUnit.SECONDS);
            QueryResult found = service.execute(
                    "AZFWIdpsSignature | where Severity == 1 | project SignatureId, SourceIp", Optional.empty());
            assertThat(found.rows()).containsExactly(List.of("2024897", "10.1.2.3"));
            QueryResult union = service.execute(
                    "union withsource=SourceTable AZFW* | summarize count() by SourceTable", Optional.empty());
            assertThat(union.rows()).containsExactly(List.of("AZFWIdpsSignature", 1L));
            assertThat(union.columns().get(1).type()).isEqualTo(ColumnType.LONG);
        }
    }
}
