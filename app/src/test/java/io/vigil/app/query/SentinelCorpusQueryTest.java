package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.SentinelRuleFiles;
import io.vigil.kql.binder.BindOptions;
import io.vigil.kql.binder.Binder;
import io.vigil.kql.binder.BoundQuery;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.store.DuckDbStore;
import io.vigil.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sentinel rules and hunting queries of the shared corpus through parse, bind and a run against an
 * empty store. The counts are floors: raise them as coverage grows, never lower them.
 */
class SentinelCorpusQueryTest {
    /** Queries that bind without diagnostics; raise as coverage grows. */
    static final int BIND_FLOOR = 133;

    /** Queries that run on an empty store; raise as coverage grows. */
    static final int RUN_FLOOR = 133;

    /** {@code -Dcorpus.verbose=true} prints every failing query with all of its error diagnostics. */
    private static final boolean VERBOSE = Boolean.getBoolean("corpus.verbose");

    @TempDir
    Path dataDir;

    @Test
    void corpusParsesBindsAndRuns() throws Exception {
        Path root = SharedCorpus.rules().resolve("sentinel-dev");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(path -> path.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
        int parsed = 0;
        int bound = 0;
        int ran = 0;
        Map<String, Integer> firstErrors = new TreeMap<>();
        try (DuckDbStore store = QueryFixtures.openStore(dataDir);
                QueryService service =
                        new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 1000)) {
            StoreQueryCatalog catalog = service.catalog();
            for (Path file : files) {
                Optional<String> query = query(file);
                if (query.isEmpty()) {
                    continue;
                }
                ParseResult parse = KqlParser.parse(query.get());
                if (parse.hasErrors()) {
                    continue;
                }
                parsed++;
                BoundQuery result =
                        Binder.bind(query.get(), parse, catalog, new BindOptions(QueryFixtures.NOW, Optional.empty()));
                if (result.hasErrors()) {
                    var first = result.diagnostics().stream()
                            .filter(d -> d.isError())
                            .findFirst()
                            .orElseThrow();
                    String key = first.code().code() + " " + first.message().replaceAll("'[^']*'", "'…'");
                    if (first.code().code().startsWith("KQL25")) {
                        key = first.code().code() + " " + first.message();
                    }
                    firstErrors.merge(key, 1, Integer::sum);
                    if (VERBOSE) {
                        System.out.println("  ! " + root.relativize(file) + ": "
                                + result.diagnostics().stream()
                                        .filter(d -> d.isError())
                                        .map(d -> d.code().code() + " " + d.message())
                                        .toList());
                    }
                    continue;
                }
                bound++;
                try {
                    service.execute(query.get(), Optional.empty());
                    ran++;
                } catch (QueryException exception) {
                    firstErrors.merge(
                            "run: " + exception.getMessage().lines().findFirst().orElse(""), 1, Integer::sum);
                }
            }
        }
        System.out.printf("sentinel corpus: %d parse, %d bind, %d run%n", parsed, bound, ran);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(firstErrors.entrySet());
        sorted.sort((left, right) -> right.getValue() - left.getValue());
        sorted.stream()
                .limit(40)
                .forEach(entry -> System.out.println("  " + entry.getValue() + " × " + entry.getKey()));
        // 150 files; the one whose YAML does not load has its query cut out of the query block, as rules check does
        assertThat(parsed).isGreaterThanOrEqualTo(150);
        assertThat(bound).isGreaterThanOrEqualTo(BIND_FLOOR);
        assertThat(ran).isGreaterThanOrEqualTo(RUN_FLOOR);
    }

    /**
     * The {@code query:} of a rule; for the one upstream file that is not valid YAML, the query cut out of
     * its {@code query: |} block.
     */
    private static Optional<String> query(Path file) throws Exception {
        return SentinelRuleFiles.read(file.toString(), Files.readAllBytes(file)).flatMap(SentinelRuleFiles.Rule::query);
    }
}
