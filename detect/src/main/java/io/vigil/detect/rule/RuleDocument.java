package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** What one rule in a file turned out to be: an analytic rule, a hunting query, or a rule that is invalid. */
public sealed interface RuleDocument {
    /** Where the rule came from: the file as given, plus {@code #N} for the Nth resource of an ARM template. */
    String source();

    /** Warnings for a valid rule; every error (and any warnings) for an invalid one. */
    List<RuleDiagnostic> diagnostics();

    record Analytic(String source, AnalyticRule rule, List<RuleDiagnostic> diagnostics) implements RuleDocument {
        public Analytic {
            requireNonNull(source, "source is null");
            requireNonNull(rule, "rule is null");
            diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
        }
    }

    record Hunting(String source, HuntingQuery query, List<RuleDiagnostic> diagnostics) implements RuleDocument {
        public Hunting {
            requireNonNull(source, "source is null");
            requireNonNull(query, "query is null");
            diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
        }
    }

    /** A rule that cannot be used; {@code name} when the file says it. Always has at least one error. */
    record Invalid(String source, Optional<String> name, List<RuleDiagnostic> diagnostics) implements RuleDocument {
        public Invalid {
            requireNonNull(source, "source is null");
            requireNonNull(name, "name is null");
            diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
            if (diagnostics.stream().noneMatch(RuleDiagnostic::error)) {
                throw new IllegalArgumentException("an invalid rule has at least one error");
            }
        }
    }
}
