package io.vigil.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared folder beside the repository (schemas, Sentinel and Sigma rules, log samples).
 * The build passes its path as {@code vigil.shared.dir}; tests that need it fail loudly without it.
 */
public final class SharedCorpus {
    private SharedCorpus() {}

    public static Path root() {
        String configured = System.getProperty("vigil.shared.dir");
        Path path;
        if (configured != null) {
            path = Path.of(configured);
        } else {
            path = Path.of("..", "shared");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(
                    "shared corpus folder not found at " + path.toAbsolutePath() + " (set -Dvigil.shared.dir)");
        }
        return path.normalize();
    }

    public static Path samples() {
        return root().resolve("corpus").resolve("samples");
    }

    public static Path rules() {
        return root().resolve("corpus").resolve("rules");
    }

    /** The repository root (for tests that start the launcher or read docs). */
    public static Path projectRoot() {
        String configured = System.getProperty("vigil.project.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of("..").toAbsolutePath().normalize();
    }
}
