package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.kql.catalog.LanguageRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionsCommandTest {
    @Test
    void listsEveryRegistryEntryWithKindStatusSignatureAndDescription() {
        List<String> lines = CliRun.run("functions").successLines();
        LanguageRegistry registry = LanguageRegistry.standard();

        assertThat(lines.get(0)).startsWith("NAME").contains("KIND", "STATUS", "SIGNATURE", "DESCRIPTION");
        assertThat(lines)
                .hasSize(1 + registry.functions().size() + registry.operators().size());
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("substring ")
                        .contains("scalar", "bound", "substring(text: string, start: long, [length: long])"))
                .anySatisfy(line -> assertThat(line).startsWith("hll ").contains("aggregate", "unsupported"))
                .anySatisfy(line -> assertThat(line).startsWith("mv-expand ").contains("operator", "bound"));
    }

    @Test
    void filtersByKindAndStatus() {
        List<String> aggregates =
                CliRun.run("functions", "--kind", "aggregate", "--bound").successLines();

        assertThat(aggregates.subList(1, aggregates.size()))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains(" aggregate ").contains(" bound "))
                .anySatisfy(line -> assertThat(line).startsWith("arg_max "));
        CliRun bad = CliRun.run("functions", "--kind", "nope");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--kind is one of");
    }
}
