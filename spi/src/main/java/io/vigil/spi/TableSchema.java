package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Log Analytics table: its name and visible columns, in the reference's order. */
public record TableSchema(String name, List<Column> columns, Map<String, Integer> indexByName) {
    public TableSchema {
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (index.putIfAbsent(columns.get(i).name(), i) != null) {
                throw new IllegalArgumentException(
                        "duplicate column " + columns.get(i).name() + " in table " + name);
            }
        }
        indexByName = Map.copyOf(index);
    }

    public TableSchema(String name, List<Column> columns) {
        this(name, columns, Map.of());
    }

    /** Position of the column, or -1 when the table has no such column (names are case-sensitive, as in KQL). */
    public int indexOf(String columnName) {
        Integer index = indexByName.get(columnName);
        if (index == null) {
            return -1;
        }
        return index;
    }

    public Optional<Column> column(String columnName) {
        int index = indexOf(columnName);
        if (index < 0) {
            return Optional.empty();
        }
        return Optional.of(columns.get(index));
    }

    public int columnCount() {
        return columns.size();
    }

    /** Whether this is a custom table, created at run time (Azure's `_CL` suffix). */
    public boolean isCustom() {
        return name.endsWith("_CL");
    }

    /** A row builder for this table. */
    public Row.Builder newRow() {
        return new Row.Builder(this);
    }
}
