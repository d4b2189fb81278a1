package io.vigil.kql.syntax;

/** {@code nulls first} or {@code nulls last}. source: https://learn.microsoft.com/kusto/query/sort-operator */
public enum NullsPosition {
    FIRST("first"),
    LAST("last");

    private final String text;

    NullsPosition(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
