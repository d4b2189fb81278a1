package io.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the public rules and log samples the tests run on. The repository carries a copy of everything in the
 * development corpus whose licence allows redistribution ({@code testing/corpus}, with its licence notes), so the
 * suite runs on a plain clone; the few samples kept out of that copy (Elastic License 2.0: their note asks that
 * they are read from the shared corpus only) are read from the shared folder beside the repository, and the tests
 * that need them are skipped with the reason when it is absent.
 */
public final class SharedCorpus {
    private SharedCorpus() {}

    /** The repository's copy of the corpus: {@code rules/}, {@code samples/}, {@code LICENSES.md}. */
    public static Path corpus() {
        Path path = projectRoot().resolve("testing").resolve("corpus");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(
                    "the test corpus is missing at " + path + " (set -Dvigil.project.dir to the repository root)");
        }
        return path;
    }

    public static Path samples() {
        return corpus().resolve("samples");
    }

    public static Path rules() {
        return corpus().resolve("rules");
    }

    /**
     * The full development corpus in the shared folder beside the repository ({@code vigil.shared.dir}, by default
     * {@code ../shared}), when it is there.
     */
    public static Optional<Path> sharedCorpus() {
        String configured = System.getProperty("vigil.shared.dir");
        Path shared;
        if (configured != null) {
            shared = Path.of(configured);
        } else {
            shared = projectRoot().resolve("..").resolve("shared");
        }
        Path corpus = shared.resolve("corpus").normalize();
        if (Files.isDirectory(corpus)) {
            return Optional.of(corpus);
        }
        return Optional.empty();
    }

    /**
     * The full development corpus; without it, skips the calling test with a JUnit assumption that says what
     * {@code needs} it, so the skip is reported, never passed silently.
     */
    public static Path sharedCorpusOrSkip(String needs) {
        Optional<Path> corpus = sharedCorpus();
        Assumptions.assumeTrue(
                corpus.isPresent(),
                () -> needs + " needs the shared corpus (../shared/corpus, or -Dvigil.shared.dir),"
                        + " which is not beside this clone; its Elastic-licensed samples may not be copied into"
                        + " the repository (testing/corpus/LICENSES.md)");
        return corpus.orElseThrow();
    }

    /** The repository root (for tests that start the launcher or read docs). */
    public static Path projectRoot() {
        String configured = System.getProperty("vigil.project.dir");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return Path.of("..").toAbsolutePath().normalize();
    }
}
