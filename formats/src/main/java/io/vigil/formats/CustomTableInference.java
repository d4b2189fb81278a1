package io.vigil.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers the columns of a custom ({@code _CL}) table from JSON rows, for importing an export of a
 * table this workspace does not have yet ({@code vigil import --table MyTable_CL}). Each field becomes
 * a column of the narrowest type every sampled value fits: long, real, bool, datetime (ISO-8601 text),
 * dynamic (objects and arrays), else string.
 */
public final class CustomTableInference {
    /** Rows looked at; a wider file still loads, values that do not fit go to dead letters. */
    private static final int SAMPLE_ROWS = 10_000;

    private CustomTableInference() {}

    public static TableSchema infer(String tableName, byte[] input) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        int[] seen = {0};
        JsonRecords.forEach("inference", JsonTableFormat.NAME, input, IGNORE, node -> {
            if (seen[0]++ >= SAMPLE_ROWS || !node.isObject()) {
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    types.putIfAbsent(field.getKey(), null);
                    continue;
                }
                ColumnType type = typeOf(field.getValue());
                types.merge(field.getKey(), type, CustomTableInference::widen);
            }
        });
        List<Column> columns = new ArrayList<>();
        types.forEach((name, type) -> {
            if (type == null) {
                type = ColumnType.STRING;
            }
            columns.add(new Column(name, type));
        });
        return new TableSchema(tableName, columns);
    }

    private static ColumnType typeOf(JsonNode value) {
        if (value.isIntegralNumber()) {
            return ColumnType.LONG;
        }
        if (value.isNumber()) {
            return ColumnType.REAL;
        }
        if (value.isBoolean()) {
            return ColumnType.BOOL;
        }
        if (value.isContainerNode()) {
            return ColumnType.DYNAMIC;
        }
        String text = value.asText();
        if (text.length() >= 10 && Character.isDigit(text.charAt(0)) && Timestamps.parse(text) != null) {
            return ColumnType.DATETIME;
        }
        return ColumnType.STRING;
    }

    /** The type both values fit: equal types stay, long and real make real, anything else string. */
    private static ColumnType widen(ColumnType left, ColumnType right) {
        if (left == null) {
            return right;
        }
        if (right == null || left == right) {
            return left;
        }
        if ((left == ColumnType.LONG && right == ColumnType.REAL)
                || (left == ColumnType.REAL && right == ColumnType.LONG)) {
            return ColumnType.REAL;
        }
        return ColumnType.STRING;
    }

    private static final RecordSink IGNORE = new RecordSink() {
        @Override
        public void row(Row row) {}

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            // bad rows are reported when the file is imported, not while sampling it
        }
    };
}
