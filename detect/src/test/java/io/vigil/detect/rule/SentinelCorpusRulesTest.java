package io.vigil.detect.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.testing.SharedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every rule and hunting query of the Sentinel dev corpus reads into the model, exceptions listed with reasons. */
class SentinelCorpusRulesTest {
    /** Relative path → the reason it cannot be read; the list is exact. */
    static final Map<String, String> EXCEPTIONS = Map.of(
            "current/AuditLogs/NRT_NewAppOrServicePrincipalCredential.yaml",
            "upstream file is not valid YAML: a misindented entityMappings list after the query");

    @Test
    void everyCorpusRuleReadsIntoTheModel() throws IOException {
        Path root = corpus();
        assumeTrue(Files.isDirectory(root), "Sentinel dev corpus not present at " + root);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(file -> file.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
        int analytic = 0;
        int nrt = 0;
        int hunting = 0;
        Map<String, String> invalid = new TreeMap<>();
        for (Path file : files) {
            String path = root.relativize(file).toString().replace('\\', '/');
            List<RuleDocument> documents =
                    SentinelRuleReader.read(path, Files.readString(file, StandardCharsets.UTF_8));
            assertThat(documents).hasSize(1);
            switch (documents.get(0)) {
                case RuleDocument.Analytic rule -> {
                    analytic++;
                    if (rule.rule().kind() == RuleKind.NRT) {
                        nrt++;
                    }
                    assertThat(path).doesNotStartWith("Hunting Queries/");
                }
                case RuleDocument.Hunting query -> {
                    hunting++;
                    assertThat(path).startsWith("Hunting Queries/");
                }
                case RuleDocument.Invalid failure ->
                    invalid.put(path, failure.diagnostics().toString());
            }
        }
        System.out.printf(
                "sentinel corpus: %d files, %d analytic rules (%d NRT), %d hunting queries, %d invalid%n",
                files.size(), analytic, nrt, hunting, invalid.size());
        invalid.forEach((path, diagnostics) -> System.out.println("  " + path + ": " + diagnostics));
        assertThat(files).hasSizeGreaterThanOrEqualTo(150);
        assertThat(invalid.keySet()).isEqualTo(EXCEPTIONS.keySet());
        assertThat(invalid.values()).allMatch(text -> text.contains("invalid_document"));
        assertThat(analytic + hunting + invalid.size()).isEqualTo(files.size());
    }

    private static Path corpus() {
        try {
            return SharedCorpus.rules().resolve("sentinel-dev");
        } catch (IllegalStateException absent) {
            return Path.of("absent-shared-folder");
        }
    }
}
