package io.vigil.kql.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageRegistryTest {
    private static final LanguageRegistry REGISTRY = LanguageRegistry.standard();

    @Test
    void signaturesGiveArgumentCountsAndReadBackAsWritten() {
        Signature substring =
                REGISTRY.function("substring").orElseThrow().signature().orElseThrow();
        assertThat(substring.minimumArguments()).isEqualTo(2);
        assertThat(substring.maximumArguments()).isEqualTo(3);
        assertThat(substring.text()).isEqualTo("(text: string, start: long, [length: long])");

        Signature caseSignature =
                REGISTRY.function("case").orElseThrow().signature().orElseThrow();
        assertThat(caseSignature.minimumArguments()).isEqualTo(3);
        assertThat(caseSignature.maximumArguments()).isEqualTo(Integer.MAX_VALUE);
        assertThat(caseSignature.text()).isEqualTo("(condition: bool, then: scalar, ...2, else: scalar)");
    }

    @Test
    void entriesCarryKindNamingDescriptionAndPage() {
        FunctionEntry count = REGISTRY.function("count").orElseThrow();
        assertThat(count.kind()).isEqualTo(FunctionKind.AGGREGATE);
        assertThat(count.naming()).isEqualTo(new ResultNaming.Prefixed("count"));
        assertThat(count.page()).isEqualTo("count-aggregation-function");
        assertThat(REGISTRY.naming("tostring")).isEqualTo(new ResultNaming.ArgumentName());
        assertThat(REGISTRY.naming("no_such_function")).isEqualTo(new ResultNaming.Positional());
        assertThat(REGISTRY.function("iif").orElseThrow().page()).isEqualTo("iff-function");
        assertThat(REGISTRY.operator("filter").orElseThrow().page()).isEqualTo("where-operator");
        for (FunctionEntry function : REGISTRY.functions()) {
            assertThat(function.description()).as(function.name()).isNotBlank().endsWith(".");
        }
        for (OperatorEntry operator : REGISTRY.operators()) {
            assertThat(operator.description()).as(operator.name()).isNotBlank().endsWith(".");
        }
    }

    @Test
    void badLinesAreRejectedWithTheLine() {
        assertThatThrownBy(() -> LanguageRegistry.readFunctions(List.of(
                        "f\tscalar\tbound\t(x: number, ...)\tlong\t-\tbad kind.",
                        "g\tscalar\tbound\t(x: nope)\tlong\t-\td.")))
                .hasMessageContaining("unknown parameter kind 'nope'")
                .hasMessageContaining("g\tscalar");
        assertThatThrownBy(() -> LanguageRegistry.readFunctions(List.of("f\tscalar\tbound\t-\tlong\t-\tno signature.")))
                .hasMessageContaining("a bound function has a signature");
        assertThatThrownBy(() -> LanguageRegistry.readFunctions(List.of("f\tscalar\tbound\t()\tweird\t-\td.")))
                .hasMessageContaining("unknown result type 'weird'");
    }
}
