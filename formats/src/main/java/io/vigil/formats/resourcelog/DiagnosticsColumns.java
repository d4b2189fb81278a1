package io.vigil.formats.resourcelog;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.TableSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * AzureDiagnostics grows like Azure's: a property of a resource log with no column yet gets a typed suffix
 * column ({@code _s}, {@code _d}, {@code _b}, {@code _g}, {@code _t}) on first sight, until the table has 500
 * columns; what comes after stays in {@code AdditionalFields} ("AzureDiagnostics", Azure Monitor table
 * reference: "the AzureDiagnostics table is limited to 500 columns ... the remaining fields are put in the
 * AdditionalFields dynamic column"). The extended schema is handed to the store with the row, which adds the
 * columns (all or none) before it writes the row.
 */
final class DiagnosticsColumns {
    /** Azure's limit on AzureDiagnostics' columns. */
    static final int MAXIMUM_COLUMNS = 500;

    /** Names a column can have: letters, digits and '_' (anything else stays in AdditionalFields). */
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,251}");

    /**
     * Extended schemas already built, by base schema and added columns: records of one resource type share
     * them, so the store sees one schema (and prepares one insert) for many rows. Bounded: cleared when full.
     */
    private static final Map<ExtensionKey, TableSchema> EXTENSIONS = new LinkedHashMap<>();

    private static final int MAXIMUM_CACHED = 256;

    private DiagnosticsColumns() {}

    /**
     * The table extended by a column for every field of {@code extras} (a mapped record's leftovers, keyed by
     * flattened name) that can have one, or empty when none can: an object, a name Azure would not form, a
     * name differing only in case from a column (DuckDB's names are case-insensitive), or no room left.
     */
    static Optional<TableSchema> extend(TableSchema table, JsonNode extras) {
        Set<String> taken = new HashSet<>();
        for (Column column : table.columns()) {
            taken.add(column.name().toLowerCase(Locale.ROOT));
        }
        List<Column> added = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = extras.fields();
        while (fields.hasNext() && table.columnCount() + added.size() < MAXIMUM_COLUMNS) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value == null || value.isNull() || value.isObject() || table.indexOf(field.getKey()) >= 0) {
                // an object is an empty one (others were flattened); a known name did not fit its column's type
                continue;
            }
            String name = field.getKey() + DiagnosticsFlattener.suffix(value);
            if (!COLUMN_NAME.matcher(name).matches() || !taken.add(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            added.add(new Column(name, typeOf(name)));
        }
        if (added.isEmpty()) {
            return Optional.empty();
        }
        ExtensionKey key =
                new ExtensionKey(table, added.stream().map(Column::name).toList());
        synchronized (EXTENSIONS) {
            TableSchema known = EXTENSIONS.get(key);
            if (known != null) {
                return Optional.of(known);
            }
            List<Column> columns = new ArrayList<>(table.columns());
            columns.addAll(added);
            TableSchema extended = new TableSchema(table.name(), columns);
            if (EXTENSIONS.size() >= MAXIMUM_CACHED) {
                EXTENSIONS.clear();
            }
            EXTENSIONS.put(key, extended);
            return Optional.of(extended);
        }
    }

    private static ColumnType typeOf(String name) {
        return switch (name.substring(name.length() - 2)) {
            case "_b" -> ColumnType.BOOL;
            case "_d" -> ColumnType.REAL;
            case "_g" -> ColumnType.GUID;
            case "_t" -> ColumnType.DATETIME;
            default -> ColumnType.STRING;
        };
    }

    /** A base schema, by identity (schemas are immutable; comparing them by value costs every column). */
    private record ExtensionKey(TableSchema base, List<String> added) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ExtensionKey key && key.base == base && key.added.equals(added);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(base) * 31 + added.hashCode();
        }
    }
}
