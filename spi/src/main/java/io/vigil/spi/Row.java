package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One row for one table, values in the table's column order; {@code null} is an empty cell. Values use
 * the representation of their {@link ColumnType} (see {@link ColumnType#accepts}).
 */
public final class Row {
    private final TableSchema table;
    private final Object[] values;

    private Row(TableSchema table, Object[] values) {
        this.table = table;
        this.values = values;
    }

    public TableSchema table() {
        return table;
    }

    public Object get(int index) {
        return values[index];
    }

    public Object get(String column) {
        int index = table.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("table " + table.name() + " has no column " + column);
        }
        return values[index];
    }

    public int size() {
        return values.length;
    }

    /** A copy with the value at {@code index} replaced, checked against its column's type. */
    public Row with(int index, Object value) {
        Builder copy = new Builder(table);
        copy.values = values.clone();
        return copy.set(index, value).build();
    }

    @Override
    public String toString() {
        return table.name() + Arrays.toString(values);
    }

    /** Builds a row, checking every value against its column's type as it is set. */
    public static final class Builder {
        private final TableSchema table;
        private Object[] values;

        Builder(TableSchema table) {
            this.table = requireNonNull(table, "table is null");
            this.values = new Object[table.columnCount()];
        }

        public TableSchema table() {
            return table;
        }

        /** Sets a column by name; a name the table does not have is a programming error. */
        public Builder set(String column, Object value) {
            int index = table.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("table " + table.name() + " has no column " + column);
            }
            return set(index, value);
        }

        public Builder set(int index, Object value) {
            if (value != null && !table.columns().get(index).type().accepts(value)) {
                Column column = table.columns().get(index);
                throw new IllegalArgumentException("column " + table.name() + "." + column.name() + " of type "
                        + column.type().kqlName() + " cannot hold a "
                        + value.getClass().getSimpleName());
            }
            values[index] = value;
            return this;
        }

        /** Whether the table has the column. */
        public boolean has(String column) {
            return table.indexOf(column) >= 0;
        }

        public Object get(String column) {
            return values[table.indexOf(column)];
        }

        /** The value set so far at a column index. */
        public Object get(int index) {
            return values[index];
        }

        public Row build() {
            Row row = new Row(table, values);
            values = new Object[table.columnCount()];
            return row;
        }
    }
}
