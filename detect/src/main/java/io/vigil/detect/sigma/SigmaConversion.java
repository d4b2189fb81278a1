package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The outcome for one Sigma rule: its KQL, or why it has none. */
public sealed interface SigmaConversion {
    String source();

    String title();

    record Converted(String source, String title, String table, String kql) implements SigmaConversion {
        public Converted {
            requireNonNull(source, "source is null");
            requireNonNull(title, "title is null");
            requireNonNull(table, "table is null");
            requireNonNull(kql, "kql is null");
        }
    }

    record Failed(String source, String title, List<SigmaError> errors) implements SigmaConversion {
        public Failed {
            requireNonNull(source, "source is null");
            requireNonNull(title, "title is null");
            errors = List.copyOf(requireNonNull(errors, "errors is null"));
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a failed conversion has at least one error");
            }
        }
    }

    /** {@code converted N rules: P ok, F failed}, the line {@code vigil sigma convert} ends with. */
    static String summary(List<SigmaConversion> conversions) {
        long failed = conversions.stream()
                .filter(conversion -> conversion instanceof Failed)
                .count();
        return "converted " + conversions.size() + " rules: " + (conversions.size() - failed) + " ok, " + failed
                + " failed";
    }
}
