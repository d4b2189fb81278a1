package io.vigil.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.TableSchema;
import io.vigil.sql.DuckDbSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaDdlTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/ddl");

    /** The reference TSV → catalog → DDL path, compared with a reviewed golden file per table. */
    @ParameterizedTest
    @ValueSource(strings = {"Syslog", "AzureDiagnostics", "SigninLogs"})
    void ddlMatchesGolden(String table) throws IOException {
        String ddl = SchemaDdl.createTable(TableCatalog.builtIn().require(table)) + "\n";
        Path expected = GOLDEN.resolve(table + ".sql");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, ddl, UTF_8);
        }
        assertThat(ddl).isEqualTo(Files.readString(expected, UTF_8));
    }

    @Test
    void columnsDifferingOnlyInCaseGetDistinctPhysicalNames() {
        TableSchema diagnostics = TableCatalog.builtIn().require("AzureDiagnostics");
        List<String> physical = SchemaDdl.physicalColumnNames(diagnostics);
        assertThat(physical).contains("clientIP_s", "clientIp_s$2");
        assertThat(physical.stream()
                        .map(name -> name.toLowerCase(java.util.Locale.ROOT))
                        .distinct())
                .hasSize(physical.size());
    }

    @Test
    void logicalNamesInvertPhysicalNames() {
        List<String> physical =
                SchemaDdl.physicalColumnNames(TableCatalog.builtIn().require("AzureDiagnostics"));
        assertThat(SchemaDdl.logicalColumnNames(physical))
                .containsExactlyElementsOf(TableCatalog.builtIn().require("AzureDiagnostics").columns().stream()
                        .map(Column::name)
                        .toList());
        // a name that only looks like a suffixed one keeps its text
        assertThat(SchemaDdl.logicalColumnNames(List.of("a$2", "b", "B$2", "B$3", "c$1")))
                .containsExactly("a$2", "b", "B", "B", "c$1");
    }

    @Test
    void tsvParsingKeepsFirstOfDuplicateColumnsAndAddsStandardColumns() throws IOException {
        String tsv = "column\ttype\tdescription\n"
                + "ResultType\tString\tfirst\n"
                + "ResultType\tString\tsecond\n"
                + "Count_d\tDouble\t\n"
                + "AdditionalFields\t\t\n";
        TableSchema table = TableCatalog.parseReferenceTsv("Example", new BufferedReader(new StringReader(tsv)));
        assertThat(table.columns())
                .extracting(Column::name)
                .containsExactly("ResultType", "Count_d", "AdditionalFields", "TenantId", "TimeGenerated", "Type");
        assertThat(table.column("ResultType").orElseThrow().description()).isEqualTo("first");
        assertThat(table.column("Count_d").orElseThrow().type()).isEqualTo(ColumnType.REAL);
        assertThat(table.column("AdditionalFields").orElseThrow().type()).isEqualTo(ColumnType.DYNAMIC);
    }

    /**
     * Every built-in table, the hand-checked core and the rest of the reference, is created in DuckDB with
     * exactly its catalog columns and types.
     */
    @Test
    void everyCatalogTableCreatesWithExactColumns() throws Exception {
        TableCatalog catalog = TableCatalog.builtIn();
        assertThat(catalog.tables()).hasSizeGreaterThan(600);
        assertThat(catalog.tables())
                .extracting(TableSchema::name)
                .containsAll(TableCatalog.BUILT_IN_TABLES)
                .contains(
                        "AZFWIdpsSignature", "ADFSSignInLogs", "IdentityInfo", "BehaviorAnalytics", "CoreAzureBackup");
        Map<String, List<String>> actual = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            // one transaction and one catalog read for all ~700 tables: per-table round trips take a minute
            statement.execute("BEGIN TRANSACTION");
            for (TableSchema table : catalog.tables()) {
                statement.execute(SchemaDdl.createTable(table));
            }
            statement.execute("COMMIT");
            try (ResultSet rows = statement.executeQuery("SELECT table_name, column_name, data_type"
                    + " FROM information_schema.columns WHERE table_schema = 'main'"
                    + " ORDER BY table_name, ordinal_position")) {
                while (rows.next()) {
                    actual.computeIfAbsent(rows.getString(1), ignored -> new ArrayList<>())
                            .add(rows.getString(2) + ":" + rows.getString(3));
                }
            }
        }
        assertThat(actual).hasSameSizeAs(catalog.tables());
        for (TableSchema table : catalog.tables()) {
            List<String> expected = new ArrayList<>();
            List<String> physicalNames = SchemaDdl.physicalColumnNames(table);
            for (int i = 0; i < table.columnCount(); i++) {
                expected.add(physicalNames.get(i) + ":"
                        + DuckDbSchema.typeName(table.columns().get(i).type()));
            }
            expected.add(HiddenColumns.INGESTION_TIME + ":TIMESTAMP");
            expected.add(HiddenColumns.BATCH_ID + ":BIGINT");
            expected.add(HiddenColumns.ROW_SEQUENCE + ":BIGINT");
            assertThat(actual.get(table.name())).as(table.name()).isEqualTo(expected);
        }
    }
}
