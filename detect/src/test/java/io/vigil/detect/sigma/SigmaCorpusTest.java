package io.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.testing.SharedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Sigma dev corpus converts to KQL that parses and binds against Vigil's tables; every rule that does
 * not convert fails for a stated reason (an unmappable logsource, field or modifier), never for bad KQL.
 */
class SigmaCorpusTest {
    @Test
    void corpusConvertsAndEveryQueryBinds() throws IOException {
        Path root = corpus();
        assumeTrue(Files.isDirectory(root), "Sigma dev corpus not present at " + root);
        List<SigmaDocument> documents = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(path -> path.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                String source = root.relativize(file).toString().replace('\\', '/');
                documents.addAll(SigmaReader.read(source, Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        List<SigmaConversion> conversions = SigmaConverter.builtIn().convert(documents);
        Map<String, String> failures = new TreeMap<>();
        for (SigmaConversion conversion : conversions) {
            if (conversion instanceof SigmaConversion.Failed failed) {
                failures.put(failed.source(), failed.errors().get(0).toString());
            }
        }
        System.out.println("sigma corpus: " + SigmaConversion.summary(conversions));
        failures.forEach((source, error) -> System.out.println("  " + source + ": " + error));

        assertThat(conversions).hasSizeGreaterThanOrEqualTo(99);
        assertThat(failures.values())
                .as("failures are stated limits, never KQL that does not bind")
                .allMatch(error -> error.startsWith("unmappable_") || error.startsWith("unsupported_"));
        assertThat(conversions.size() - failures.size()).isGreaterThanOrEqualTo(80);
    }

    private static Path corpus() {
        try {
            return SharedCorpus.rules().resolve("sigma-dev");
        } catch (IllegalStateException absent) {
            return Path.of("absent-shared-folder");
        }
    }
}
