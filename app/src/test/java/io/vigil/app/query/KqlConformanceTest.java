package io.vigil.app.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vigil.engine.QueryException;
import io.vigil.engine.QueryResult;
import io.vigil.store.DuckDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Literate KQL conformance scripts ({@code conformance/*.kqlt}) against a real store with the fixture
 * tables. A case is the query, then {@code ----}, the expected header ({@code name:type | ...}) and rows
 * ({@code value | ...}, {@code null} for null), then {@code !ok}; or the query and {@code !error CODE}.
 * Lines starting with {@code #} are commentary; cases are separated by the {@code !} lines.
 */
class KqlConformanceTest {
    static final Path SCRIPTS = Path.of("src/test/resources/conformance");

    @TempDir
    static Path dataDir;

    static DuckDbStore store;
    static QueryService service;

    @BeforeAll
    static void open() throws Exception {
        store = QueryFixtures.openWithFixtures(dataDir);
        service = new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 1000);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    record Case(String file, int line, String query, List<String> expected, Optional<String> errorCode) {}

    static List<Case> parse(Path script) throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(script, UTF_8);
        StringBuilder query = new StringBuilder();
        List<String> expected = new ArrayList<>();
        boolean inExpected = false;
        int start = 0;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            if (line.startsWith("#")) {
                continue;
            }
            if (line.equals("!ok") || line.startsWith("!error ")) {
                Optional<String> code = Optional.empty();
                if (line.startsWith("!error ")) {
                    code = Optional.of(line.substring("!error ".length()).strip());
                }
                cases.add(new Case(
                        script.getFileName().toString(),
                        start + 1,
                        query.toString().strip(),
                        List.copyOf(expected),
                        code));
                query.setLength(0);
                expected.clear();
                inExpected = false;
                continue;
            }
            if (line.equals("----")) {
                inExpected = true;
                continue;
            }
            if (inExpected) {
                expected.add(line);
            } else {
                if (query.isEmpty() && line.isBlank()) {
                    continue;
                }
                if (query.isEmpty()) {
                    start = index;
                }
                query.append(line).append('\n');
            }
        }
        return cases;
    }

    static List<String> render(QueryResult result) {
        List<String> lines = new ArrayList<>();
        lines.add(result.columns().stream()
                .map(column -> column.name() + ":" + column.type().kqlName())
                .collect(Collectors.joining(" | ")));
        for (List<Object> row : result.rows()) {
            lines.add(row.stream()
                    .map(value -> value == null ? "null" : value.toString())
                    .collect(Collectors.joining(" | ")));
        }
        return lines;
    }

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            for (Path script : files.filter(path -> path.toString().endsWith(".kqlt"))
                    .sorted()
                    .toList()) {
                for (Case testCase : parse(script)) {
                    tests.add(DynamicTest.dynamicTest(testCase.file() + ":" + testCase.line(), () -> run(testCase)));
                }
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    private static void run(Case testCase) throws Exception {
        if (testCase.errorCode().isPresent()) {
            try {
                service.execute(testCase.query(), Optional.empty());
                fail("expected %s for %s", testCase.errorCode().get(), testCase.query());
            } catch (QueryException exception) {
                assertThat(exception.diagnostics())
                        .as("diagnostics of %s", testCase.query())
                        .isNotEmpty();
                assertThat(exception.diagnostics().get(0).code().code())
                        .isEqualTo(testCase.errorCode().get());
            }
            return;
        }
        QueryResult result;
        try {
            result = service.execute(testCase.query(), Optional.empty());
        } catch (QueryException exception) {
            throw new AssertionError(
                    testCase.query() + " failed: " + exception.getMessage() + " " + exception.diagnostics()
                            + sqlOf(testCase.query()),
                    exception);
        }
        assertThat(render(result)).as("result of\n%s", testCase.query()).containsExactlyElementsOf(testCase.expected());
    }

    private static String sqlOf(String query) {
        try {
            return "\n" + service.compile(query, Optional.empty()).sql().sql();
        } catch (RuntimeException exception) {
            return "";
        }
    }
}
