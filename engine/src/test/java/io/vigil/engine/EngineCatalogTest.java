package io.vigil.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.kql.syntax.Diagnostic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog's function and operator lists hold only names the engine binds. */
class EngineCatalogTest {
    static final Instant NOW = Instant.parse("2026-01-11T00:00:00Z");

    /** Unknown, unsupported, or not usable in the place the kind says. */
    static final Set<String> NOT_BOUND = Set.of("KQL203", "KQL250", "KQL251", "KQL209", "KQL210");

    static InMemorySource source;
    static KqlEngine engine;

    @BeforeAll
    static void open() throws Exception {
        source = new InMemorySource();
        engine = KqlEngine.builder(source).build();
    }

    @AfterAll
    static void close() throws Exception {
        source.close();
    }

    private static List<String> codes(String text) {
        return switch (engine.compile(text, QueryParameters.at(NOW))) {
            case CompiledQuery compiled -> List.of();
            case Compilation.Rejected rejected ->
                rejected.errors().stream()
                        .map(Diagnostic::code)
                        .map(code -> code.code())
                        .toList();
        };
    }

    @Test
    void everyListedFunctionIsBoundInItsKind() {
        List<String> unbound = new ArrayList<>();
        for (EngineCatalog.Function function : engine.catalog().functions()) {
            // argument counts and types are not the point: a wrong count (KQL204) still proves the name is bound
            String query = switch (function.kind()) {
                case SCALAR -> "print x = " + function.name() + "()";
                case AGGREGATE -> "SigninLogs | summarize " + function.name() + "(DurationMs)";
                case WINDOW -> "SigninLogs | serialize | extend x = " + function.name() + "()";
                case PLUGIN -> "SigninLogs | evaluate " + function.name() + "(LocationDetails)";
            };
            List<String> codes = codes(query);
            if (codes.stream().anyMatch(NOT_BOUND::contains)) {
                unbound.add(function.name() + " " + codes);
            }
        }

        assertThat(engine.catalog().functions()).hasSizeGreaterThan(100);
        assertThat(unbound).isEmpty();
    }

    @Test
    void aNameTheBinderDoesNotKnowWouldBeCaught() {
        assertThat(codes("print x = no_such_function()")).containsAnyElementsOf(NOT_BOUND);
        assertThat(codes("SigninLogs | summarize no_such_aggregate(DurationMs)"))
                .containsAnyElementsOf(NOT_BOUND);
    }

    @Test
    void everyListedOperatorsExampleCompiles() {
        List<String> failing = new ArrayList<>();
        for (EngineCatalog.Operator operator : engine.catalog().operators()) {
            List<String> codes = codes(operator.example());
            if (!codes.isEmpty() || !operator.example().contains(operator.name())) {
                failing.add(operator.name() + ": " + operator.example() + " " + codes);
            }
        }

        assertThat(engine.catalog().operators())
                .extracting(EngineCatalog.Operator::name)
                .contains("where", "summarize", "join", "mv-expand", "make-series", "union")
                .doesNotHaveDuplicates();
        assertThat(failing).isEmpty();
    }
}
