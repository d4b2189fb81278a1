package io.vigil.kql.binder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.PlanPrinter;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One case per binder code (KQL2xx): the code, its span, and that binding never throws. */
class BinderDiagnosticsTest {
    private static final TableCatalog TABLES = TableCatalog.builtIn();

    private static final QueryCatalog CATALOG = new QueryCatalog() {
        @Override
        public Optional<CatalogTable> table(String name) {
            return TABLES.table(name).map(BinderDiagnosticsTest::catalogTable);
        }

        @Override
        public Collection<String> tableNames() {
            return TABLES.tables().stream().map(TableSchema::name).toList();
        }

        /** A caller whose table-level grant leaves out OfficeActivity. */
        @Override
        public boolean mayRead(String table) {
            return !table.equals("OfficeActivity");
        }
    };

    private static CatalogTable catalogTable(TableSchema schema) {
        return new CatalogTable(
                schema, schema.columns().stream().map(column -> column.name()).toList(), Optional.empty());
    }

    private static BoundQuery bind(String query) {
        return Binder.bind(
                query,
                KqlParser.parse(query),
                CATALOG,
                new BindOptions(Instant.parse("2026-01-11T00:00:00Z"), Optional.empty()));
    }

    private static Diagnostic first(String query, DiagnosticCode code) {
        BoundQuery bound = bind(query);
        assertThat(bound.plan()).isEmpty();
        assertThat(bound.diagnostics()).as("diagnostics of %s", query).isNotEmpty();
        assertThat(bound.diagnostics().get(0).code())
                .as("first diagnostic of %s: %s", query, bound.diagnostics())
                .isEqualTo(code);
        return bound.diagnostics().get(0);
    }

    @Test
    void everyBinderCodeHasACase() {
        Set<DiagnosticCode> covered = EnumSet.noneOf(DiagnosticCode.class);
        covered.add(first("Nope | take 1", DiagnosticCode.UNKNOWN_TABLE).code());
        Diagnostic column = first("SigninLogs\n| where Nope == 1", DiagnosticCode.UNKNOWN_COLUMN);
        assertThat(column.span()).isEqualTo(new Span(19, 23));
        assertThat(column.line()).isEqualTo(2);
        assertThat(column.column()).isEqualTo(9);
        covered.add(column.code());
        covered.add(first("print nope_fn(1)", DiagnosticCode.UNKNOWN_FUNCTION).code());
        covered.add(first("print strlen('a', 'b')", DiagnosticCode.WRONG_ARGUMENT_COUNT)
                .code());
        covered.add(first("SigninLogs | where UserPrincipalName > 1", DiagnosticCode.TYPE_MISMATCH)
                .code());
        covered.add(first("print x = (SigninLogs | take 1)", DiagnosticCode.EXPECTED_SCALAR)
                .code());
        covered.add(
                first("let x = 1; x | take 1", DiagnosticCode.EXPECTED_TABULAR).code());
        covered.add(
                first("SigninLogs | take -1", DiagnosticCode.EXPECTED_CONSTANT).code());
        covered.add(first("SigninLogs | where count() > 1", DiagnosticCode.AGGREGATE_OUTSIDE_SUMMARIZE)
                .code());
        covered.add(first("SigninLogs | summarize x = 1", DiagnosticCode.EXPECTED_AGGREGATE)
                .code());
        covered.add(first("let x = 1", DiagnosticCode.NO_QUERY).code());
        covered.add(
                first("SigninLogs | join (AuditLogs) on $left.UserPrincipalName", DiagnosticCode.INVALID_JOIN_CONDITION)
                        .code());
        covered.add(first("print datetime(2026-13-45)", DiagnosticCode.INVALID_VALUE)
                .code());
        covered.add(first("SigninLogs | sample-distinct 10 of UserPrincipalName", DiagnosticCode.UNSUPPORTED_OPERATOR)
                .code());
        covered.add(first("SigninLogs | extend p = prev(UserPrincipalName)", DiagnosticCode.NOT_SERIALIZED)
                .code());
        covered.add(first(
                        "datatable(Name:string, d:dynamic) ['x', dynamic({})] | evaluate bag_unpack(d) : (*, Name:string)",
                        DiagnosticCode.COLUMN_CONFLICT)
                .code());
        covered.add(first("print hash_many('a', 'b')", DiagnosticCode.UNSUPPORTED_FUNCTION)
                .code());
        covered.add(first("SigninLogs | mv-apply s = Status on (distinct s)", DiagnosticCode.UNSUPPORTED_FEATURE)
                .code());
        covered.add(first("externaldata(a:string) [\"https://example.com/a.csv\"]", DiagnosticCode.NO_OUTBOUND_NETWORK)
                .code());
        // a warning: the fuzzy union runs without the leg that does not resolve
        String fuzzy = "union isfuzzy=true (SigninLogs | project UserPrincipalName), (AuditLogs | project Nope)";
        BoundQuery dropped = bind(fuzzy);
        assertThat(dropped.plan()).isPresent();
        assertThat(dropped.diagnostics()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo(DiagnosticCode.FUZZY_LEG_DROPPED);
            assertThat(warning.isError()).isFalse();
            assertThat(warning.span().start()).isEqualTo(fuzzy.indexOf("(AuditLogs"));
            assertThat(warning.message()).contains("KQL202").contains("Nope");
        });
        covered.add(dropped.diagnostics().get(0).code());
        String denied = "SigninLogs | join (OfficeActivity) on $left.UserPrincipalName == $right.UserId";
        Diagnostic access = first(denied, DiagnosticCode.TABLE_ACCESS_DENIED);
        assertThat(access.span().start()).isEqualTo(denied.indexOf("OfficeActivity"));
        assertThat(access.message()).isEqualTo("The caller has no read access to table 'OfficeActivity'");
        covered.add(access.code());
        List<DiagnosticCode> binderCodes = Arrays.stream(DiagnosticCode.values())
                .filter(code -> code.code().startsWith("KQL2"))
                .toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(binderCodes);
    }

    @Test
    void bagUnpackMisuse() {
        // this catalog cannot run queries: without an output schema there is nothing to probe
        Diagnostic noProbe =
                first("SigninLogs | evaluate bag_unpack(DeviceDetail)", DiagnosticCode.UNSUPPORTED_FEATURE);
        assertThat(noProbe.message()).contains("output schema");
        first("SigninLogs | evaluate bag_unpack(UserPrincipalName) : (a:string)", DiagnosticCode.TYPE_MISMATCH);
        first("SigninLogs | evaluate bag_unpack(parse_json('{}')) : (a:string)", DiagnosticCode.TYPE_MISMATCH);
        first("SigninLogs | evaluate bag_unpack(DeviceDetail, 1) : (a:string)", DiagnosticCode.EXPECTED_CONSTANT);
        first(
                "SigninLogs | evaluate bag_unpack(DeviceDetail, columnsConflict='merge') : (a:string)",
                DiagnosticCode.INVALID_VALUE);
        first("SigninLogs | evaluate bag_unpack(DeviceDetail, nope='x') : (a:string)", DiagnosticCode.INVALID_VALUE);
        first(
                "SigninLogs | evaluate bag_unpack(DeviceDetail, ignoredProperties='a') : (a:string)",
                DiagnosticCode.EXPECTED_CONSTANT);
        first("SigninLogs | evaluate bag_unpack(DeviceDetail) : (a:nosuchtype)", DiagnosticCode.UNSUPPORTED_FEATURE);
        first("SigninLogs | evaluate autocluster()", DiagnosticCode.UNSUPPORTED_OPERATOR);
        // pivot's columns come from the data too: without a store to probe, the output schema is asked for
        Diagnostic pivotNoProbe =
                first("SigninLogs | evaluate pivot(UserPrincipalName)", DiagnosticCode.UNSUPPORTED_FEATURE);
        assertThat(pivotNoProbe.message()).contains("output schema");
        first(
                "SigninLogs | project UserPrincipalName, AppDisplayName"
                        + " | evaluate pivot(UserPrincipalName) : (a:long)",
                DiagnosticCode.INVALID_VALUE);
        BoundQuery pivoted = bind("SigninLogs | project UserPrincipalName, AppDisplayName"
                + " | evaluate pivot(UserPrincipalName) : (AppDisplayName:string, alice:long, bob:long)");
        assertThat(pivoted.hasErrors()).as("%s", pivoted.diagnostics()).isFalse();
        assertThat(pivoted.plan().orElseThrow().columns())
                .extracting(column -> column.name())
                .containsExactly("AppDisplayName", "alice", "bob");

        BoundQuery declared = bind("SigninLogs | evaluate bag_unpack(DeviceDetail, 'D_') : (D_browser:string, *)");
        assertThat(declared.hasErrors()).as("%s", declared.diagnostics()).isFalse();
        List<String> names = declared.plan().orElseThrow().columns().stream()
                .filter(column -> !column.hidden())
                .map(column -> column.name())
                .toList();
        assertThat(names).doesNotContain("DeviceDetail").endsWith("D_browser").contains("UserPrincipalName");
    }

    @Test
    void namesResultColumnsLikeKql() {
        BoundQuery bound = bind("SigninLogs | summarize count(), sum(DurationMs), avg(DurationMs), dcount(IPAddress),"
                + " make_set(AppDisplayName), countif(IsRisky) by bin(TimeGenerated, 1h), LocationDetails.city"
                + " | extend strlen(LocationDetails_city)");
        assertThat(bound.diagnostics()).isEmpty();
        assertThat(bound.plan().orElseThrow().columns())
                .extracting(column -> column.name() + ":" + column.type().kqlName())
                .containsExactly(
                        "TimeGenerated:datetime",
                        "LocationDetails_city:dynamic",
                        "count_:long",
                        "sum_DurationMs:long",
                        "avg_DurationMs:real",
                        "dcount_IPAddress:long",
                        "set_AppDisplayName:dynamic",
                        "countif_IsRisky:long",
                        "Column1:long");
        assertThat(PlanPrinter.print(bound.plan().orElseThrow())).contains("Aggregate keys=[TimeGenerated=bin(");
    }

    @Test
    void argMaxWithStarTakesEveryOtherColumn() {
        BoundQuery bound = bind("SecurityEvent | summarize arg_max(TimeGenerated, *) by Computer");
        assertThat(bound.diagnostics()).isEmpty();
        List<String> names = bound.plan().orElseThrow().columns().stream()
                .map(column -> column.name())
                .toList();
        assertThat(names.subList(0, 2)).containsExactly("Computer", "TimeGenerated");
        assertThat(names).doesNotHaveDuplicates().contains("Account", "EventID");
    }
}
