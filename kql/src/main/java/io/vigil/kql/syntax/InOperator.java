package io.vigil.kql.syntax;

import java.util.Optional;

/** Set-membership operators taking a list. source: https://learn.microsoft.com/kusto/query/in-operator */
public enum InOperator {
    IN("in"),
    NOT_IN("!in"),
    IN_CASE_INSENSITIVE("in~"),
    NOT_IN_CASE_INSENSITIVE("!in~"),
    HAS_ANY("has_any"),
    HAS_ALL("has_all");

    private final String text;

    InOperator(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static Optional<InOperator> fromText(String text) {
        for (InOperator operator : values()) {
            if (operator.text.equals(text)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }
}
