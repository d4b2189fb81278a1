package io.vigil.kql.syntax;

import io.vigil.detect.SentinelRuleFiles;
import io.vigil.testing.SharedCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** The Sentinel rules and hunting queries of the shared corpus, with their {@code query:} text. */
final class SentinelCorpus {
    /** A rule file and its query; {@code extractedByHand} when the YAML itself does not load. */
    record Rule(String path, String query, boolean extractedByHand) {}

    private SentinelCorpus() {}

    static Path root() {
        return SharedCorpus.rules().resolve("sentinel-dev");
    }

    /**
     * Every rule, read as {@code vigil rules check} reads them. One upstream file is not valid YAML
     * (a misindented entityMappings list after the query); its query block is cut out by hand.
     */
    static List<Rule> rules() {
        try {
            return SentinelRuleFiles.find(List.of(root())).stream()
                    .map(rule -> new Rule(
                            rule.path(),
                            rule.query().orElseThrow(() -> new AssertionError(rule.path() + " has no query")),
                            rule.yamlProblem().isPresent()))
                    .toList();
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }
}
