package io.vigil.kql.syntax;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests: every {@code golden/parser/<case>.kql} is parsed and its tree dump (with spans) and
 * diagnostics are compared with {@code <case>.tree}. Run with {@code -Dgolden.update=true} to rewrite
 * the expectations, then review the diff like code. A missing expectation fails the test.
 */
class ParserGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/parser");

    static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".kql"))
                    .sorted()
                    .toList();
        }
    }

    static String render(ParseResult result) {
        StringBuilder output = new StringBuilder(SyntaxDumper.dump(result.script(), true));
        for (Diagnostic diagnostic : result.diagnostics()) {
            output.append(";; ")
                    .append(diagnostic.code().code())
                    .append(' ')
                    .append(diagnostic.line())
                    .append(':')
                    .append(diagnostic.column())
                    .append(" @")
                    .append(diagnostic.span())
                    .append(' ')
                    .append(diagnostic.message())
                    .append('\n');
        }
        return output.toString();
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        return cases().stream()
                .map(input -> DynamicTest.dynamicTest(input.getFileName().toString(), () -> check(input)));
    }

    private static void check(Path input) throws IOException {
        String actual = render(KqlParser.parse(Files.readString(input, UTF_8)));
        String name = input.getFileName().toString();
        Path expectedFile = input.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".tree");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expectedFile, actual, UTF_8);
        }
        assertThat(expectedFile)
                .as("expected tree; create it with -Dgolden.update=true and review it")
                .exists();
        assertThat(actual).isEqualTo(Files.readString(expectedFile, UTF_8));
    }
}
