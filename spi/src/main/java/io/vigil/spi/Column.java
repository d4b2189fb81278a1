package io.vigil.spi;

import static java.util.Objects.requireNonNull;

/** One column of a table: its exact Azure Monitor name, type and reference description. */
public record Column(String name, ColumnType type, String description) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(description, "description is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name is empty");
        }
    }

    public Column(String name, ColumnType type) {
        this(name, type, "");
    }
}
