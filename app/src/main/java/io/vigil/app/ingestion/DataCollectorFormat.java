package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.Timestamps;
import io.vigil.formats.common.TypedValues;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One Data Collector API request body (a JSON array of records or one record) to rows of
 * {@code <Log-Type>_CL}, typed the way "Send log data to Azure Monitor by using the HTTP Data Collector
 * API" (learn.microsoft.com/azure/azure-monitor/logs/data-collector-api, "Record type and properties")
 * describes: every property gets a suffix for its type ({@code _s} string, {@code _d} double, {@code _b}
 * boolean, {@code _t} date/time, {@code _g} GUID); a value that fits a column the table already has for
 * that property goes there, otherwise a new suffixed column is added. Nested objects and arrays are
 * stored as JSON text in {@code _s} columns; null properties are left out.
 *
 * <p>A request is all or nothing, as in Azure: a body that is not JSON, or holds anything but objects,
 * becomes one dead letter and {@link #rejection()} says why.
 */
final class DataCollectorFormat implements LogFormat {
    static final String NAME = "data_collector";

    /** "Maximum of 32 KB for field values. If the field value is greater than 32 KB, the data is truncated." */
    static final int MAX_FIELD_CHARS = 32 * 1024;

    /** Log Analytics' limit on the columns of a table. */
    static final int MAX_COLUMNS = 500;

    // TimeGenerated from the time-generated-field "can't be older than 2 days before received time or
    // more than a day in the future"; otherwise Azure uses the ingestion time (same page, request headers)
    private static final Duration MAX_PAST = Duration.ofDays(2);
    private static final Duration MAX_FUTURE = Duration.ofDays(1);

    private static final Pattern ISO_DATE_TIME =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2})?");
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern NOT_NAME_CHARACTER = Pattern.compile("[^A-Za-z0-9_]");

    /** Azure's property suffixes, in the order an existing column is tried for a value. */
    enum Suffix {
        STRING("_s", ColumnType.STRING),
        DOUBLE("_d", ColumnType.REAL),
        BOOLEAN("_b", ColumnType.BOOL),
        DATE_TIME("_t", ColumnType.DATETIME),
        GUID("_g", ColumnType.GUID);

        final String text;
        final ColumnType type;

        Suffix(String text, ColumnType type) {
            this.text = text;
            this.type = type;
        }
    }

    private final String logType;
    private final Optional<String> timeGeneratedField;
    private final Instant receivedAt;
    private final UnaryOperator<TableSchema> ensureTable;
    private volatile String rejection;

    /**
     * @param ensureTable creates or extends the custom table and returns it as the store now has it
     */
    DataCollectorFormat(
            String logType,
            Optional<String> timeGeneratedField,
            Instant receivedAt,
            UnaryOperator<TableSchema> ensureTable) {
        this.logType = requireNonNull(logType, "logType is null");
        this.timeGeneratedField = requireNonNull(timeGeneratedField, "timeGeneratedField is null");
        this.receivedAt = requireNonNull(receivedAt, "receivedAt is null");
        this.ensureTable = requireNonNull(ensureTable, "ensureTable is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "HTTP Data Collector API records (JSON) to <Log-Type>_CL with Azure's type suffixes";
    }

    @Override
    public List<String> outputTables() {
        return List.of(tableName());
    }

    @Override
    public int detect(byte[] head) {
        // only ever forced by the /api/logs endpoint
        return 0;
    }

    String tableName() {
        return logType + "_CL";
    }

    /** Why the whole body was refused, when it was. */
    Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        JsonNode root;
        try {
            root = JsonRecords.MAPPER.readTree(input);
        } catch (IOException e) {
            reject(source, input, sink, DeadLetterReason.INVALID_JSON, "the body is not valid JSON: " + firstLine(e));
            return;
        }
        List<ObjectNode> records = new ArrayList<>();
        if (root instanceof ObjectNode object) {
            records.add(object);
        } else if (root instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (!(array.get(i) instanceof ObjectNode object)) {
                    reject(
                            source,
                            input,
                            sink,
                            DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                            "record " + i + " is not a JSON object");
                    return;
                }
                records.add(object);
            }
        } else {
            reject(
                    source,
                    input,
                    sink,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "the body must be a JSON array of objects or one object");
            return;
        }
        if (records.isEmpty()) {
            return;
        }
        Optional<TableSchema> existing = context.catalog().table(tableName());
        Map<String, Column> added = new LinkedHashMap<>();
        List<Map<String, JsonNode>> assigned = new ArrayList<>(records.size());
        boolean truncated = false;
        for (ObjectNode record : records) {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value == null || value.isNull()) {
                    continue;
                }
                if (!value.isValueNode()) {
                    value = TextNode.valueOf(value.toString());
                }
                if (value.isTextual() && value.asText().length() > MAX_FIELD_CHARS) {
                    value = TextNode.valueOf(value.asText().substring(0, MAX_FIELD_CHARS));
                    truncated = true;
                }
                Column column = columnFor(propertyName(field.getKey()), value, existing, added);
                values.put(column.name(), value);
            }
            assigned.add(values);
        }
        if (truncated) {
            sink.repaired("field_truncated");
        }
        int columnCount = existing.map(TableSchema::columnCount).orElse(3) + added.size();
        if (columnCount > MAX_COLUMNS) {
            reject(
                    source,
                    input,
                    sink,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    "table " + tableName() + " would have " + columnCount + " columns, more than the limit of "
                            + MAX_COLUMNS);
            return;
        }
        TableSchema table = existing.orElse(null);
        if (!added.isEmpty() || table == null) {
            table = ensureTable.apply(new TableSchema(tableName(), List.copyOf(added.values())));
        }
        for (int i = 0; i < records.size(); i++) {
            sink.row(row(table, records.get(i), assigned.get(i)));
        }
    }

    private Row row(TableSchema table, ObjectNode record, Map<String, JsonNode> values) {
        Row.Builder row = table.newRow();
        values.forEach((name, value) -> {
            Column column = table.column(name).orElseThrow();
            try {
                row.set(name, TypedValues.fromJson(value, column.type()));
            } catch (TypedValues.ConversionException e) {
                // columnFor only chose a column the value converts to
                throw new IllegalStateException("value of " + name + " does not fit its column", e);
            }
        });
        row.set("TimeGenerated", timeGenerated(record));
        row.set("Type", table.name());
        return row.build();
    }

    private Instant timeGenerated(ObjectNode record) {
        if (timeGeneratedField.isEmpty()) {
            return receivedAt;
        }
        JsonNode value = record.get(timeGeneratedField.get());
        if (value == null || !value.isTextual()) {
            return receivedAt;
        }
        Instant time = Timestamps.parse(value.asText());
        if (time == null || time.isBefore(receivedAt.minus(MAX_PAST)) || time.isAfter(receivedAt.plus(MAX_FUTURE))) {
            return receivedAt;
        }
        return time;
    }

    /** The column for a value: its own suffix if the table has it, else a column it converts to, else new. */
    private static Column columnFor(
            String property, JsonNode value, Optional<TableSchema> existing, Map<String, Column> added) {
        Suffix inferred = infer(value);
        String own = property + inferred.text;
        Optional<Column> current = find(own, existing, added);
        if (current.isPresent()) {
            return current.get();
        }
        for (Suffix other : Suffix.values()) {
            Optional<Column> candidate = find(property + other.text, existing, added);
            if (candidate.isPresent() && converts(value, candidate.get().type())) {
                return candidate.get();
            }
        }
        Column column = new Column(own, inferred.type);
        added.put(own, column);
        return column;
    }

    private static Optional<Column> find(String name, Optional<TableSchema> existing, Map<String, Column> added) {
        Column column = added.get(name);
        if (column != null) {
            return Optional.of(column);
        }
        return existing.flatMap(table -> table.column(name));
    }

    private static boolean converts(JsonNode value, ColumnType type) {
        if (type == ColumnType.GUID) {
            return value.isTextual() && GUID.matcher(value.asText()).matches();
        }
        try {
            return TypedValues.fromJson(value, type) != null;
        } catch (TypedValues.ConversionException e) {
            return false;
        }
    }

    static Suffix infer(JsonNode value) {
        if (value.isBoolean()) {
            return Suffix.BOOLEAN;
        }
        if (value.isNumber()) {
            return Suffix.DOUBLE;
        }
        String text = value.asText();
        if (GUID.matcher(text).matches()) {
            return Suffix.GUID;
        }
        if (ISO_DATE_TIME.matcher(text).matches() && Timestamps.parse(text) != null) {
            return Suffix.DATE_TIME;
        }
        return Suffix.STRING;
    }

    /** Column names keep letters, digits and underscores; anything else becomes an underscore. */
    static String propertyName(String key) {
        String name = NOT_NAME_CHARACTER.matcher(key).replaceAll("_");
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            name = "_" + name;
        }
        return name;
    }

    private void reject(String source, byte[] input, RecordSink sink, DeadLetterReason reason, String detail) {
        rejection = detail;
        sink.deadLetter(new DeadLetter(source, NAME, reason, detail, input));
    }

    private static String firstLine(IOException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            return message.substring(0, newline);
        }
        return message;
    }
}
