package io.vigil.kql.syntax;

/** {@code asc} or {@code desc}. source: https://learn.microsoft.com/kusto/query/sort-operator */
public enum SortDirection {
    ASCENDING("asc"),
    DESCENDING("desc");

    private final String text;

    SortDirection(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
