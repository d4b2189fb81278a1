package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

/**
 * A problem with a rule file: a stable snake_case code, whether it stops the rule, the field it is
 * about (a dotted path such as {@code incidentConfiguration.groupingConfiguration.lookbackDuration},
 * empty for the whole file) and a message for the user.
 */
public record RuleDiagnostic(Code code, boolean error, String field, String message) {
    public RuleDiagnostic {
        requireNonNull(code, "code is null");
        requireNonNull(field, "field is null");
        requireNonNull(message, "message is null");
    }

    /** Stable codes, shown to users and matched by tests. */
    public enum Code {
        INVALID_DOCUMENT("invalid_document"),
        MISSING_FIELD("missing_field"),
        INVALID_VALUE("invalid_value"),
        OUT_OF_RANGE("out_of_range"),
        IGNORED_FIELD("ignored_field");

        private final String text;

        Code(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public static RuleDiagnostic error(Code code, String field, String message) {
        return new RuleDiagnostic(code, true, field, message);
    }

    public static RuleDiagnostic warning(Code code, String field, String message) {
        return new RuleDiagnostic(code, false, field, message);
    }

    @Override
    public String toString() {
        String where = field.isEmpty() ? "" : field + ": ";
        return (error ? "error " : "warning ") + code.text() + " " + where + message;
    }
}
