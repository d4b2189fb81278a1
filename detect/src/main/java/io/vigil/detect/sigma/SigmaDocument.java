package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One YAML document of a Sigma file: a detection rule, a correlation rule, or one that could not be read. */
public sealed interface SigmaDocument {
    String source();

    record Rule(String source, SigmaRule rule) implements SigmaDocument {
        public Rule {
            requireNonNull(source, "source is null");
            requireNonNull(rule, "rule is null");
        }
    }

    record Correlation(String source, SigmaCorrelation correlation) implements SigmaDocument {
        public Correlation {
            requireNonNull(source, "source is null");
            requireNonNull(correlation, "correlation is null");
        }
    }

    record Invalid(String source, Optional<String> title, SigmaError error) implements SigmaDocument {
        public Invalid {
            requireNonNull(source, "source is null");
            requireNonNull(title, "title is null");
            requireNonNull(error, "error is null");
        }
    }
}
