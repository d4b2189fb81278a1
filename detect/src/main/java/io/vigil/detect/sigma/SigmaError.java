package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

/** Why a Sigma rule did not convert: a stable snake_case code and a message naming the culprit. */
public record SigmaError(Code code, String message) {
    public SigmaError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    public enum Code {
        INVALID_RULE("invalid_rule"),
        INVALID_CONDITION("invalid_condition"),
        UNMAPPABLE_LOGSOURCE("unmappable_logsource"),
        UNMAPPABLE_FIELD("unmappable_field"),
        UNSUPPORTED_MODIFIER("unsupported_modifier"),
        UNSUPPORTED_VALUE("unsupported_value"),
        UNSUPPORTED_CORRELATION("unsupported_correlation"),
        KQL_DIAGNOSTIC("kql_diagnostic");

        private final String text;

        Code(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    @Override
    public String toString() {
        return code.text() + ": " + message;
    }
}
