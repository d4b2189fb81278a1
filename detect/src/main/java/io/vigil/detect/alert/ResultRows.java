package io.vigil.detect.alert;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A rule query's result as alerts are built from it: column names and rows of values (strings, numbers,
 * booleans, nulls; datetimes as ISO-8601 text), as the engine's query result holds them.
 */
public record ResultRows(List<String> columns, List<List<Object>> rows) {
    public ResultRows {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        List<List<Object>> copies = new ArrayList<>();
        for (List<Object> row : requireNonNull(rows, "rows is null")) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException(
                        "a row of " + row.size() + " values for " + columns.size() + " columns");
            }
            copies.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copies);
    }

    /** The value of {@code column} in {@code row}, empty when the result has no such column or the cell is null. */
    public Optional<Object> value(List<Object> row, String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(row.get(index));
    }

    /** As {@link #value}, as text; an empty string counts as absent, as Sentinel drops empty entity fields. */
    public Optional<String> text(List<Object> row, String column) {
        return value(row, column).map(String::valueOf).filter(text -> !text.isEmpty());
    }
}
