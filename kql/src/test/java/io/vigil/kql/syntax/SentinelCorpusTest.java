package io.vigil.kql.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SentinelCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every Sentinel rule and hunting query of the shared corpus parses without error diagnostics. Files
 * that do not yet parse are listed in {@link #KNOWN_GAPS} (mirrored in kql/KNOWN_GAPS.md); the list
 * is exact, so a file that starts parsing fails the test until it is removed from the list.
 */
class SentinelCorpusTest {
    /** Relative path to the code of its first error; keep in sync with kql/KNOWN_GAPS.md. */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    /** The one upstream file whose YAML does not load; its query is read from the keys before the error. */
    static final List<String> INVALID_YAML = List.of("current/AuditLogs/NRT_NewAppOrServicePrincipalCredential.yaml");

    @Test
    void everyRuleParsesWithoutErrors() {
        List<SentinelCorpus.Rule> rules = SentinelCorpus.rules();
        Map<String, String> failures = new TreeMap<>();
        List<String> truncated = new ArrayList<>();
        for (SentinelCorpus.Rule rule : rules) {
            if (rule.truncated()) {
                truncated.add(rule.path());
            }
            ParseResult result = KqlParser.parse(rule.query());
            if (result.hasErrors()) {
                failures.put(rule.path(), result.errors().get(0).toString());
            }
        }
        int parsed = rules.size() - failures.size();
        System.out.printf("sentinel corpus: %d/%d parse%n", parsed, rules.size());
        failures.forEach((path, error) -> System.out.println("  " + path + ": " + error));

        assertThat(rules).hasSizeGreaterThanOrEqualTo(150);
        assertThat(truncated).containsExactlyElementsOf(INVALID_YAML);
        Map<String, String> failureCodes = new TreeMap<>();
        failures.forEach((path, error) -> failureCodes.put(path, error.substring(0, error.indexOf(' '))));
        assertThat(failureCodes).as("corpus files with errors").isEqualTo(new TreeMap<>(KNOWN_GAPS));
    }
}
