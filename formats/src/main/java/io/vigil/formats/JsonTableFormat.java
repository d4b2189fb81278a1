package io.vigil.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.TypedValues;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows already shaped like a Log Analytics table (a JSON array or NDJSON of objects keyed by column
 * name), such as a query result exported from a workspace. The table is forced ({@code vigil import
 * --table T}) or read from each row's {@code Type} column. Fields the table lacks go to its dynamic
 * {@code AdditionalFields} column when it has one; otherwise they are counted as dropped.
 */
public final class JsonTableFormat implements LogFormat {
    public static final String NAME = "json_table";

    /** The Log Analytics portal's export names datetime columns "TimeGenerated [UTC]". */
    private static final String UTC_SUFFIX = " [UTC]";

    private final Optional<String> forcedTable;

    public JsonTableFormat() {
        this.forcedTable = Optional.empty();
    }

    private JsonTableFormat(String table) {
        this.forcedTable = Optional.of(table);
    }

    /** This format writing every row to {@code table}, whatever its {@code Type} says. */
    public static JsonTableFormat forTable(String table) {
        return new JsonTableFormat(table);
    }

    /** The table every row goes to when one was forced. */
    public Optional<String> forcedTable() {
        return forcedTable;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "JSON array or NDJSON of rows already shaped like a table (columns by name; table from --table or Type)";
    }

    @Override
    public List<String> outputTables() {
        return forcedTable.map(List::of).orElse(List.of());
    }

    @Override
    public int detect(byte[] head) {
        // only rows exported from a workspace say which table they belong to
        String text = new String(head, StandardCharsets.UTF_8);
        if ((text.contains("\"TimeGenerated\"") || text.contains("\"TimeGenerated [UTC]\""))
                && text.contains("\"Type\"")) {
            return 40;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        JsonRecords.forEach(
                source, NAME, input, sink, node -> parseRow(NAME, forcedTable, source, node, context, sink));
    }

    /**
     * Builds a row from an object keyed by column name. Shared with {@link CsvTableFormat}: both read
     * exports of a workspace's tables, where the portal names datetime columns {@code "X [UTC]"} and
     * writes empty cells as empty strings.
     */
    static void parseRow(
            String format,
            Optional<String> forcedTable,
            String source,
            JsonNode node,
            ParseContext context,
            RecordSink sink) {
        if (!(node instanceof ObjectNode object)) {
            sink.deadLetter(deadLetter(
                    format, source, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "row is not a JSON object", node));
            return;
        }
        String tableName = forcedTable.orElseGet(() -> object.path("Type").asText(""));
        if (tableName.isEmpty()) {
            sink.deadLetter(deadLetter(
                    format, source, DeadLetterReason.UNKNOWN_TABLE, "row has no Type and no --table was given", node));
            return;
        }
        Optional<TableSchema> table = context.catalog().table(tableName);
        if (table.isEmpty()) {
            sink.deadLetter(deadLetter(format, source, DeadLetterReason.UNKNOWN_TABLE, "no table " + tableName, node));
            return;
        }
        TableSchema schema = table.get();
        Row.Builder row = schema.newRow();
        ObjectNode unknown = JsonRecords.MAPPER.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.endsWith(UTC_SUFFIX)) {
                name = name.substring(0, name.length() - UTC_SUFFIX.length());
            }
            Optional<Column> column = schema.column(name);
            if (column.isEmpty()) {
                unknown.set(name, field.getValue());
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isTextual()
                    && isExportedEmpty(value.asText())
                    && column.get().type() != ColumnType.STRING) {
                // exports write an empty cell of a typed column as "" or "null": an empty value, not an error
                continue;
            }
            try {
                row.set(name, TypedValues.fromJson(value, column.get().type()));
            } catch (TypedValues.ConversionException e) {
                sink.deadLetter(deadLetter(format, source, e.reason(), name + ": " + e.getMessage(), node));
                return;
            }
        }
        if (!unknown.isEmpty()) {
            Optional<Column> additional = schema.column("AdditionalFields");
            if (additional.isPresent() && additional.get().type() == ColumnType.DYNAMIC) {
                row.set("AdditionalFields", new Dynamic(unknown.toString()));
            } else {
                sink.repaired("unknown_column_dropped");
            }
        }
        row.set("Type", schema.name());
        sink.row(row.build());
    }

    private static boolean isExportedEmpty(String text) {
        return text.isEmpty() || text.equals("null");
    }

    private static DeadLetter deadLetter(
            String format, String source, DeadLetterReason reason, String detail, JsonNode node) {
        return new DeadLetter(source, format, reason, detail, node.toString().getBytes(StandardCharsets.UTF_8));
    }
}
