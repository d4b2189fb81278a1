package io.vigil.kql.syntax;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SentinelCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** parse(print(parse(x))) equals parse(x) apart from spans, for golden cases and the corpus. */
class RoundTripTest {
    @Test
    void goldenCasesRoundTrip() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path input : ParserGoldenTest.cases()) {
            String text = Files.readString(input, UTF_8);
            ParseResult first = KqlParser.parse(text);
            if (first.hasErrors()) {
                // error trees hold skipped text and missing nodes; they are not required to round-trip
                continue;
            }
            assertRoundTrips(input.getFileName().toString(), first);
            checked.add(input.getFileName().toString());
        }
        assertThat(checked).hasSizeGreaterThan(25);
    }

    @Test
    void corpusRoundTrips() {
        for (SentinelCorpus.Rule rule : SentinelCorpus.rules()) {
            ParseResult first = KqlParser.parse(rule.query());
            if (!first.hasErrors()) {
                assertRoundTrips(rule.path(), first);
            }
        }
    }

    @Test
    void printedNamesAreBracketedOnlyWhenNeeded() {
        assertThat(KqlPrinter.name("State")).isEqualTo("State");
        assertThat(KqlPrinter.name("$left")).isEqualTo("$left");
        assertThat(KqlPrinter.name("Column with space")).isEqualTo("['Column with space']");
        assertThat(KqlPrinter.name("has")).isEqualTo("['has']");
        assertThat(KqlPrinter.name("it's")).isEqualTo("['it\\'s']");
    }

    private static void assertRoundTrips(String name, ParseResult first) {
        String printed = KqlPrinter.print(first.script());
        ParseResult second = KqlParser.parse(printed);
        assertThat(second.errors())
                .as("errors re-parsing printed %s:%n%s", name, printed)
                .isEmpty();
        assertThat(SyntaxDumper.dump(second.script(), false))
                .as("round trip of %s, printed as:%n%s", name, printed)
                .isEqualTo(SyntaxDumper.dump(first.script(), false));
        assertThat(KqlPrinter.print(second.script()))
                .as("printing is stable for %s", name)
                .isEqualTo(printed);
    }
}
