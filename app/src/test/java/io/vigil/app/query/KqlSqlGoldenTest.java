package io.vigil.app.query;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.engine.CompiledQuery;
import io.vigil.plan.PlanPrinter;
import io.vigil.store.DuckDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * KQL → plan → DuckDB SQL golden files ({@code golden/kql-sql/<case>.test}): the {@code -- kql} section
 * is the input; {@code -- plan} and {@code -- sql duckdb} (with its bound parameters) are compared side
 * by side. {@code -Dgolden.update=true} rewrites them; a missing expectation fails. Every SQL also runs
 * on an empty store, so a golden file cannot hold SQL that DuckDB rejects.
 */
class KqlSqlGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/kql-sql");

    @TempDir
    static Path dataDir;

    static DuckDbStore store;
    static QueryService service;

    @BeforeAll
    static void open() {
        store = QueryFixtures.openStore(dataDir);
        // the goldens show the SQL over stored tables; a table never written would read as an empty relation
        TableCatalog.BUILT_IN_TABLES.forEach(store::materialize);
        service = new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 1000);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<Path> cases;
        try (Stream<Path> files = Files.list(GOLDEN)) {
            cases = files.filter(path -> path.toString().endsWith(".test"))
                    .sorted()
                    .toList();
        }
        assertThat(cases).isNotEmpty();
        return cases.stream()
                .map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> check(path)));
    }

    private static void check(Path file) throws Exception {
        String text = Files.readString(file, UTF_8);
        int kqlStart = text.indexOf("-- kql\n");
        assertThat(kqlStart).as("%s has a '-- kql' section", file).isGreaterThanOrEqualTo(0);
        int planStart = text.indexOf("\n-- plan\n");
        String kql;
        if (planStart < 0) {
            kql = text.substring(kqlStart + "-- kql\n".length()).strip();
        } else {
            kql = text.substring(kqlStart + "-- kql\n".length(), planStart).strip();
        }
        CompiledQuery compiled = service.compile(kql, Optional.empty());
        String actual = "-- kql\n" + kql + "\n\n-- plan\n" + PlanPrinter.print(compiled.plan()) + "\n-- sql duckdb\n"
                + compiled.sql().sql() + "\n-- parameters\n" + compiled.sql().parameters() + "\n";
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, UTF_8);
        }
        assertThat(planStart)
                .as("%s has expectations; create them with -Dgolden.update=true", file)
                .isPositive();
        assertThat(actual).isEqualTo(Files.readString(file, UTF_8));
        service.execute(kql, Optional.empty());
    }
}
