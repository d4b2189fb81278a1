package io.vigil.kql.binder;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.kql.catalog.FunctionEntry;
import io.vigil.kql.catalog.FunctionKind;
import io.vigil.kql.catalog.LanguageRegistry;
import io.vigil.kql.catalog.OperatorEntry;
import io.vigil.kql.catalog.Parameter;
import io.vigil.kql.catalog.ParameterKind;
import io.vigil.kql.catalog.Signature;
import io.vigil.kql.catalog.Support;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The registry and the binder agree: what the registry calls bound binds (its example, or a call), with the
 * argument counts its signature gives; what it calls unsupported is reported as such, and a name it lacks is
 * unknown.
 */
class LanguageRegistryBindingTest {
    private static final LanguageRegistry REGISTRY = LanguageRegistry.standard();
    private static final TableCatalog TABLES = TableCatalog.builtIn();
    private static final Set<DiagnosticCode> NOT_BOUND = Set.of(
            DiagnosticCode.UNKNOWN_FUNCTION, DiagnosticCode.UNSUPPORTED_FUNCTION, DiagnosticCode.UNSUPPORTED_OPERATOR);

    private static final QueryCatalog CATALOG = new QueryCatalog() {
        @Override
        public Optional<CatalogTable> table(String name) {
            return TABLES.table(name)
                    .map(schema -> new CatalogTable(
                            schema,
                            schema.columns().stream()
                                    .map(column -> column.name())
                                    .toList(),
                            Optional.empty()));
        }

        @Override
        public Collection<String> tableNames() {
            return TABLES.tables().stream().map(TableSchema::name).toList();
        }
    };

    private static List<DiagnosticCode> codes(String query) {
        BoundQuery bound = Binder.bind(
                query,
                KqlParser.parse(query),
                CATALOG,
                new BindOptions(Instant.parse("2026-01-11T00:00:00Z"), Optional.empty()));
        return bound.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(Diagnostic::code)
                .toList();
    }

    /** An argument of a parameter kind, from SigninLogs' columns. */
    private static String argument(ParameterKind kind) {
        return switch (kind) {
            case SCALAR, NUMBER, LONG, REAL, COLUMN -> "DurationMs";
            case STRING -> "UserPrincipalName";
            case BOOL -> "true";
            case DATETIME -> "TimeGenerated";
            case TIMESPAN -> "1h";
            case DYNAMIC -> "dynamic([1, 2])";
            case GUID -> "guid(00000000-0000-0000-0000-000000000000)";
            case CONSTANT -> "'day'";
            case TABULAR -> "(SigninLogs | count)";
            case TYPE -> "typeof(long)";
        };
    }

    /** {@code count} arguments following the signature (repeats and extras take the kind of the last one). */
    private static String arguments(Signature signature, int count) {
        List<Parameter> parameters = signature.parameters();
        List<String> arguments = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            ParameterKind kind = ParameterKind.SCALAR;
            if (!parameters.isEmpty()) {
                kind = parameters.get(Math.min(index, parameters.size() - 1)).kind();
            }
            arguments.add(argument(kind));
        }
        return String.join(", ", arguments);
    }

    /** A call in a query where its kind may appear. */
    private static String call(FunctionEntry function, String arguments) {
        String call = function.name() + "(" + arguments + ")";
        return switch (function.kind()) {
            case SCALAR -> "SigninLogs | extend " + call;
            case WINDOW -> "SigninLogs | serialize | extend x = " + call;
            case AGGREGATE -> "SigninLogs | summarize " + call;
            case PLUGIN -> "SigninLogs | evaluate " + call;
        };
    }

    @Test
    void boundScalarAndWindowFunctionsCheckTheArgumentCountsOfTheirSignature() {
        List<String> disagreements = new ArrayList<>();
        for (FunctionEntry function : REGISTRY.functions()) {
            boolean rowFunction = function.kind() == FunctionKind.SCALAR || function.kind() == FunctionKind.WINDOW;
            if (!function.bound() || !rowFunction) {
                continue;
            }
            Signature signature = function.signature().orElseThrow();
            int minimum = signature.minimumArguments();
            int upTo = minimum + 4;
            if (signature.maximumArguments() < Integer.MAX_VALUE) {
                upTo = signature.maximumArguments() + 1;
            }
            for (int count = Math.max(0, minimum - 1); count <= upTo; count++) {
                List<DiagnosticCode> codes = codes(call(function, arguments(signature, count)));
                boolean counted = codes.contains(DiagnosticCode.WRONG_ARGUMENT_COUNT);
                if (signature.accepts(count) == counted || codes.stream().anyMatch(NOT_BOUND::contains)) {
                    disagreements.add(function.name() + " with " + count + " arguments: " + codes);
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void boundAggregatesAndPluginsBind() {
        List<String> unbound = new ArrayList<>();
        for (FunctionEntry function : REGISTRY.functions()) {
            boolean other = function.kind() == FunctionKind.AGGREGATE || function.kind() == FunctionKind.PLUGIN;
            if (!function.bound() || !other) {
                continue;
            }
            // a wrong count or type still proves the name is bound
            List<DiagnosticCode> codes = codes(call(function, "LocationDetails"));
            if (codes.stream().anyMatch(NOT_BOUND::contains)) {
                unbound.add(function.name() + " " + codes);
            }
        }
        assertThat(unbound).isEmpty();
    }

    @Test
    void unsupportedFunctionsAreReportedAsUnsupportedAndOthersAsUnknown() {
        List<String> wrong = new ArrayList<>();
        for (FunctionEntry function : REGISTRY.functions()) {
            if (function.support() != Support.UNSUPPORTED) {
                continue;
            }
            List<DiagnosticCode> codes = codes(call(function, "DurationMs"));
            if (!codes.contains(DiagnosticCode.UNSUPPORTED_FUNCTION)) {
                wrong.add(function.name() + " " + codes);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(codes("print x = no_such_function(1)")).containsExactly(DiagnosticCode.UNKNOWN_FUNCTION);
        assertThat(codes("SigninLogs | summarize no_such_aggregate(DurationMs)"))
                .doesNotContain(DiagnosticCode.UNSUPPORTED_FUNCTION)
                .isNotEmpty();
    }

    @Test
    void boundOperatorsExamplesBindAndUnsupportedOnesAreNamed() {
        List<String> failing = new ArrayList<>();
        for (OperatorEntry operator : REGISTRY.operators()) {
            if (!operator.bound()) {
                continue;
            }
            String example = operator.example().orElseThrow();
            List<DiagnosticCode> codes = codes(example);
            if (!codes.isEmpty() || !example.contains(operator.name())) {
                failing.add(operator.name() + ": " + example + " " + codes);
            }
        }
        assertThat(failing).isEmpty();
        assertThat(REGISTRY.operators())
                .extracting(OperatorEntry::name)
                .contains("where", "summarize", "join", "mv-expand", "make-series", "union", "top-nested");
    }

    @Test
    void aggregateNamesComeFromTheRegistry() {
        assertThat(REGISTRY.isAggregate("count")).isTrue();
        assertThat(REGISTRY.isAggregate("hll")).isTrue();
        assertThat(REGISTRY.isAggregate("tolower")).isFalse();
        assertThat(codes("print x = count()")).containsExactly(DiagnosticCode.AGGREGATE_OUTSIDE_SUMMARIZE);
        assertThat(codes("SigninLogs | summarize hll(DurationMs)"))
                .containsExactly(DiagnosticCode.UNSUPPORTED_FUNCTION);
    }
}
