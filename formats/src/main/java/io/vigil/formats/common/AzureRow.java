package io.vigil.formats.common;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;

/**
 * A row being built from an Azure record: sets columns only where the table has them, converts JSON
 * values to the column type, and collects what has no column (or does not fit its type) in {@link
 * #extras()}, which the format writes to the table's catch-all column, so nothing is dropped silently.
 */
public final class AzureRow {
    private final Row.Builder row;
    private final ObjectNode extras = JsonRecords.MAPPER.createObjectNode();
    private int wrongTypes;

    public AzureRow(TableSchema table) {
        this.row = requireNonNull(table, "table is null").newRow();
    }

    public TableSchema table() {
        return row.table();
    }

    public boolean has(String column) {
        return row.has(column);
    }

    /** Whether the column already holds a value. */
    public boolean isSet(String column) {
        int index = row.table().indexOf(column);
        return index >= 0 && row.get(index) != null;
    }

    /** Sets a ready value when the table has the column; returns whether it did. */
    public boolean set(String column, Object value) {
        if (value == null) {
            return false;
        }
        int index = row.table().indexOf(column);
        if (index < 0) {
            return false;
        }
        row.set(index, value);
        return true;
    }

    /**
     * Sets a JSON value converted to the column's type. A value the table has no column for, or that
     * does not convert, is kept in the extras under {@code extraKey}; returns whether the column was set.
     */
    public boolean json(String column, JsonNode value, String extraKey) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        int index = row.table().indexOf(column);
        if (index < 0) {
            extras.set(extraKey, value);
            return false;
        }
        try {
            row.set(
                    index,
                    TypedValues.fromJson(value, row.table().columns().get(index).type()));
            return true;
        } catch (TypedValues.ConversionException e) {
            wrongTypes++;
            extras.set(extraKey, value);
            return false;
        }
    }

    /** {@link #json(String, JsonNode, String)} keeping a misfit under the column's own name. */
    public boolean json(String column, JsonNode value) {
        return json(column, value, column);
    }

    /** Keeps a field that has no column. */
    public void extra(String key, JsonNode value) {
        if (value != null && !value.isMissingNode()) {
            extras.set(key, value);
        }
    }

    public ObjectNode extras() {
        return extras;
    }

    /** How many values did not convert to their column's type (kept in the extras instead). */
    public int wrongTypes() {
        return wrongTypes;
    }

    public Row build() {
        row.set("Type", row.table().name());
        return row.build();
    }

    /** Text of a JSON field, or null when it is missing, null or empty. */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        String text = TypedValues.asText(node);
        if (text.isEmpty()) {
            return null;
        }
        return text;
    }
}
