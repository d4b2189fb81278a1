package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.StandardErrorCode;
import io.vigil.testing.TestingClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KqlEngineTest {
    static final Instant NOW = Instant.parse("2026-01-11T00:00:00Z");

    static InMemorySource source;
    static KqlEngine engine;

    @BeforeAll
    static void open() throws Exception {
        source = new InMemorySource();
        engine = KqlEngine.builder(source).clock(new TestingClock(NOW)).build();
    }

    @AfterAll
    static void close() throws Exception {
        source.close();
    }

    private static CompiledQuery compiled(String text) {
        return engine.compileOrThrow(text, QueryParameters.at(NOW));
    }

    private static QueryResult run(String text, QueryParameters parameters) throws InterruptedException {
        return engine.execute(text, parameters, QueryLimits.DEFAULT);
    }

    @Test
    void aCompiledQueryHasItsResultSchemaAndTheTablesItTouches() {
        CompiledQuery query = compiled("SigninLogs | where Risky | summarize count() by UserPrincipalName");

        assertThat(query.schema())
                .containsExactly(
                        new Column("UserPrincipalName", ColumnType.STRING), new Column("count_", ColumnType.LONG));
        assertThat(query.tables()).containsExactly("SigninLogs");
        assertThat(query.sql().sql()).contains("SigninLogs");
    }

    @Test
    void tablesReadInSubqueriesAndJoinsAreTouchedToo() {
        CompiledQuery query = compiled("Heartbeat | where Computer in ((SigninLogs | project UserPrincipalName))");
        CompiledQuery joined = compiled("Heartbeat | join kind=leftouter (SigninLogs) on TimeGenerated");
        CompiledQuery printed = compiled("print x = 1");

        assertThat(query.tables()).containsExactly("Heartbeat", "SigninLogs");
        assertThat(joined.tables()).containsExactly("Heartbeat", "SigninLogs");
        assertThat(printed.tables()).isEmpty();
    }

    @Test
    void aQueryWithErrorsIsRejectedWithEveryErrorAndItsPosition() {
        Compilation compilation =
                engine.compile("Nope\n| where x == 1\n| extend y = nosuchfunction(2)", QueryParameters.at(NOW));

        assertThat(compilation).isInstanceOfSatisfying(Compilation.Rejected.class, rejected -> {
            assertThat(rejected.errors()).isNotEmpty();
            assertThat(rejected.errors().get(0).code().code()).isEqualTo("KQL201");
            assertThat(rejected.errors().get(0).line()).isEqualTo(1);
            assertThat(rejected.errors().get(0).column()).isEqualTo(1);
        });
        assertThatThrownBy(() -> engine.compileOrThrow("Nope", QueryParameters.at(NOW)))
                .isInstanceOfSatisfying(QueryException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                    assertThat(exception.diagnostics()).hasSize(1);
                });
    }

    @Test
    void anEmptyQueryIsRejectedAsHavingNoQuery() {
        Compilation compilation = engine.compile("let x = 1;", QueryParameters.at(NOW));

        assertThat(compilation)
                .isInstanceOfSatisfying(
                        Compilation.Rejected.class,
                        rejected -> assertThat(rejected.errors().get(0).code().code())
                                .isEqualTo("KQL211"));
    }

    @Test
    void nowIsFixedByTheParametersForTheWholeRun() throws Exception {
        Instant fixed = Instant.parse("2030-05-06T07:08:09Z");
        CompiledQuery query = engine.compileOrThrow("print a = now(), b = ago(1h)", QueryParameters.at(fixed));

        QueryResult first = engine.run(query, QueryLimits.DEFAULT, QueryCancellation.none());

        assertThat(first.rows()).containsExactly(List.of("2030-05-06T07:08:09Z", "2030-05-06T06:08:09Z"));
        assertThat(engine.run(query, QueryLimits.DEFAULT, QueryCancellation.none())
                        .rows())
                .isEqualTo(first.rows());
    }

    @Test
    void theTimeWindowLimitsEveryTableToItsRange() throws Exception {
        QueryParameters window = engine.parameters(Optional.of("2026-01-10T08:15:00Z/2026-01-10T09:00:00Z"));
        QueryParameters lastHours = engine.parameters(Optional.of("PT15H"));

        assertThat(run("SigninLogs | project UserPrincipalName", window).rows())
                .containsExactly(List.of("bob@contoso.com"));
        assertThat(run("SigninLogs | count", lastHours).rows()).containsExactly(List.of(1L));
        assertThat(run("SigninLogs | count", engine.parameters(Optional.empty()))
                        .rows())
                .containsExactly(List.of(3L));
    }

    @Test
    void aTimespanThatDoesNotParseIsAnInvalidArgument() {
        assertThatThrownBy(() -> engine.parameters(Optional.of("yesterday")))
                .isInstanceOfSatisfying(QueryException.class, exception -> {
                    assertThat(exception.errorCode()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                    assertThat(exception.getMessage()).contains("Invalid timespan 'yesterday'");
                });
    }

    @Test
    void valuesAreTypedAsTheQueryApiReturnsThem() throws Exception {
        QueryResult result = run(
                "SigninLogs | sort by TimeGenerated asc | take 3"
                        + " | project TimeGenerated, UserPrincipalName, IPAddress, DurationMs, LocationDetails, Risky,"
                        + " Took = 1d + 2h + 3ms, Ingested = ingestion_time()",
                QueryParameters.at(NOW));

        assertThat(result.columns())
                .extracting(QueryResult.ResultColumn::type)
                .containsExactly(
                        ColumnType.DATETIME,
                        ColumnType.STRING,
                        ColumnType.STRING,
                        ColumnType.LONG,
                        ColumnType.DYNAMIC,
                        ColumnType.BOOL,
                        ColumnType.TIMESPAN,
                        ColumnType.DATETIME);
        assertThat(result.rows().get(0))
                .containsExactly(
                        "2026-01-10T08:00:00Z",
                        "alice@contoso.com",
                        "10.0.0.1",
                        120L,
                        "{\"city\":\"Seattle\"}",
                        false,
                        "1.02:00:00.0030000",
                        "2026-01-10T08:00:05Z");
        // a null string is empty, as in KQL; other types keep their nulls
        assertThat(result.rows().get(2))
                .containsExactly(
                        "2026-01-10T09:15:00Z",
                        "alice@contoso.com",
                        "",
                        null,
                        null,
                        null,
                        "1.02:00:00.0030000",
                        "2026-01-10T09:15:05Z");
    }

    @Test
    void bagUnpackProbesTheDataOnlyWhenSchemaProbesAreOn() throws Exception {
        String query = "SigninLogs | where isnotnull(LocationDetails) | project LocationDetails"
                + " | evaluate bag_unpack(LocationDetails)";
        KqlEngine withoutProbes = KqlEngine.builder(source)
                .clock(new TestingClock(NOW))
                .schemaProbes(false)
                .build();

        assertThat(compiled(query).schema())
                .containsExactly(new Column("city", ColumnType.STRING), new Column("zip", ColumnType.STRING));
        assertThat(withoutProbes.compile(query, QueryParameters.at(NOW)))
                .isInstanceOfSatisfying(
                        Compilation.Rejected.class,
                        rejected -> assertThat(rejected.errors().get(0).code().code())
                                .isEqualTo("KQL252"));
    }

    @Test
    void theCatalogListsTheSourceTablesWithTheirColumns() {
        assertThat(engine.catalog().tables())
                .extracting(table -> table.name())
                .containsExactly("Heartbeat", "SigninLogs");
        assertThat(engine.catalog().table("SigninLogs")).hasValue(InMemorySource.SIGNINS);
        assertThat(engine.catalog().table("Nope")).isEmpty();
    }
}
