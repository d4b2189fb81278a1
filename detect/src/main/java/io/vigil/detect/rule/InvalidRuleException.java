package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Thrown by a rule record's constructor when a value breaks Sentinel's rules; the reader turns it into
 * a {@link RuleDiagnostic} for the field it names.
 */
public final class InvalidRuleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final RuleDiagnostic.Code code;
    private final String field;

    public InvalidRuleException(RuleDiagnostic.Code code, String field, String message) {
        super(field + ": " + message);
        this.code = requireNonNull(code, "code is null");
        this.field = requireNonNull(field, "field is null");
    }

    public RuleDiagnostic diagnostic() {
        String message = getMessage().substring(field.length() + 2);
        return RuleDiagnostic.error(code, field, message);
    }

    static void check(boolean condition, RuleDiagnostic.Code code, String field, String message) {
        if (!condition) {
            throw new InvalidRuleException(code, field, message);
        }
    }

    static void within(Duration value, Duration minimum, Duration maximum, String field) {
        check(
                value.compareTo(minimum) >= 0 && value.compareTo(maximum) <= 0,
                RuleDiagnostic.Code.OUT_OF_RANGE,
                field,
                RuleDurations.format(value) + " is outside " + RuleDurations.format(minimum) + " to "
                        + RuleDurations.format(maximum) + " (Sentinel's limit)");
    }
}
