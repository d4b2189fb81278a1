package io.vigil.formats.datacollector;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.Timestamps;
import io.vigil.formats.common.TypedValues;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.EventStore;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

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
public final class DataCollectorFormat implements LogFormat {
    public static final String NAME = "data_collector";

    /** "Maximum of 32 KB for field values. If the field value is greater than 32 KB, the data is truncated." */
    public static final int MAX_FIELD_CHARS = 32 * 1024;

    /** Log Analytics' limit on the columns of a table. */
    public static final int MAX_COLUMNS = 500;

    // TimeGenerated from the time-generated-field "can't be older than 2 days before received time or
    // more than a day in the future"; otherwise Azure uses the ingestion time (same page, request headers)
    private static final Duration MAX_PAST = Duration.ofDays(2);
    private static final Duration MAX_FUTURE = Duration.ofDays(1);

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
    public DataCollectorFormat(
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
    public Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        // one streaming pass over the body into flat records (no tree of the whole array); a syntax error
        // anywhere refuses the body before any shape error, as a whole-tree parse would
        List<Record> records = new ArrayList<>();
        String shapeError = null;
        try (JsonParser parser = JsonRecords.MAPPER.createParser(input)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                records.add(Record.read(parser));
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (token == null) {
                        throw new IOException("unexpected end of the body inside the array");
                    }
                    if (token == JsonToken.START_OBJECT && shapeError == null) {
                        records.add(Record.read(parser));
                    } else {
                        if (shapeError == null) {
                            shapeError = "record " + index + " is not a JSON object";
                        }
                        if (token.isScalarValue()) {
                            parser.finishToken();
                        } else {
                            parser.skipChildren();
                        }
                    }
                    index++;
                }
            } else {
                if (first != null) {
                    parser.finishToken();
                }
                shapeError = "the body must be a JSON array of objects or one object";
            }
            // Jackson stops after the first value: anything but whitespace after it would be ignored
            if (parser.nextToken() != null) {
                throw new IOException("unexpected content after the end of the JSON value at "
                        + parser.currentTokenLocation().getCharOffset());
            }
        } catch (IOException e) {
            reject(source, input, sink, DeadLetterReason.INVALID_JSON, "the body is not valid JSON: " + firstLine(e));
            return;
        }
        if (shapeError != null) {
            reject(source, input, sink, DeadLetterReason.UNKNOWN_RECORD_SHAPE, shapeError);
            return;
        }
        if (records.isEmpty()) {
            return;
        }
        // Log-Types differing only in case write one table, named by the first (Log Analytics names are
        // case-insensitive)
        Optional<TableSchema> existing = context.catalog().tableIgnoringCase(tableName());
        Map<String, Column> added = new LinkedHashMap<>();
        // per request: a key's property name and a property's suffixed column names, each computed once
        Map<String, String> properties = new HashMap<>();
        Map<String, String[]> names = new HashMap<>();
        boolean truncated = false;
        boolean renamed = false;
        int existingColumns = existing.map(TableSchema::columnCount).orElse(3);
        // the first property that would take the table past the column limit, named in the refusal
        String overLimit = null;
        for (int index = 0; index < records.size(); index++) {
            Record record = records.get(index);
            int size = record.size();
            record.columns = new Column[size];
            record.stored = new JsonNode[size];
            // property names this record's values took: keys that sanitise alike ("a b", "a-b") must not share one
            Set<String> taken = new HashSet<>();
            for (int i = 0; i < size; i++) {
                JsonNode value = record.values.get(i);
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
                record.stored[i] = value;
                String property = properties.computeIfAbsent(record.keys.get(i), DataCollectorFormat::propertyName);
                if (!taken.add(property)) {
                    property = freeProperty(property, taken);
                    renamed = true;
                }
                String[] suffixed = names.computeIfAbsent(property, DataCollectorFormat::suffixedNames);
                int addedBefore = added.size();
                record.columns[i] = columnFor(suffixed, value, existing, added);
                if (overLimit == null && added.size() > addedBefore && existingColumns + added.size() > MAX_COLUMNS) {
                    overLimit = "record " + index + ", property '" + record.keys.get(i) + "' (column "
                            + record.columns[i].name() + ")";
                }
            }
        }
        if (truncated) {
            sink.repaired("field_truncated");
        }
        if (renamed) {
            sink.repaired("field_name_collision");
        }
        int columnCount = existingColumns + added.size();
        if (columnCount > MAX_COLUMNS) {
            reject(
                    source,
                    input,
                    sink,
                    DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                    overLimit + " would take table " + tableName() + " to " + columnCount
                            + " columns, more than the limit of " + MAX_COLUMNS);
            return;
        }
        TableSchema table = existing.orElse(null);
        if (!added.isEmpty() || table == null) {
            table = ensureTable.apply(new TableSchema(tableName(), List.copyOf(added.values())));
        }
        Map<String, Integer> indexes = new HashMap<>();
        int timeGeneratedIndex = table.indexOf("TimeGenerated");
        int typeIndex = table.indexOf("Type");
        for (Record record : records) {
            sink.row(row(table, record, indexes, timeGeneratedIndex, typeIndex, sink));
        }
    }

    /**
     * One record of the body as parsed: its properties in order, a repeated key keeping its first
     * position and its last value (as a JSON tree does), JSON null as {@code NullNode}.
     */
    private static final class Record {
        final List<String> keys = new ArrayList<>();
        final List<JsonNode> values = new ArrayList<>();
        Map<String, Integer> positions;
        /** The column and the value stored in it (text of an object, truncated) per property, after assignment. */
        Column[] columns;

        JsonNode[] stored;

        int size() {
            return keys.size();
        }

        /** Reads the object the parser is at (its START_OBJECT), leaving it at the END_OBJECT. */
        static Record read(JsonParser parser) throws IOException {
            Record record = new Record();
            String key;
            while ((key = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                JsonNode value = switch (token) {
                    case VALUE_STRING -> TextNode.valueOf(parser.getText());
                    case VALUE_TRUE -> BooleanNode.TRUE;
                    case VALUE_FALSE -> BooleanNode.FALSE;
                    case VALUE_NULL -> NullNode.getInstance();
                    case VALUE_NUMBER_INT ->
                        switch (parser.getNumberType()) {
                            case INT -> IntNode.valueOf(parser.getIntValue());
                            case LONG -> LongNode.valueOf(parser.getLongValue());
                            default -> JsonRecords.MAPPER.readTree(parser);
                        };
                    default -> JsonRecords.MAPPER.readTree(parser);
                };
                record.put(key, value);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new IOException("expected a property name, found " + parser.currentToken());
            }
            return record;
        }

        private void put(String key, JsonNode value) {
            int position = position(key);
            if (position >= 0) {
                values.set(position, value);
                return;
            }
            keys.add(key);
            values.add(value);
            if (positions != null) {
                positions.put(key, keys.size() - 1);
            }
        }

        private int position(String key) {
            if (positions == null) {
                if (keys.size() < 16) {
                    for (int i = 0; i < keys.size(); i++) {
                        if (keys.get(i).equals(key)) {
                            return i;
                        }
                    }
                    return -1;
                }
                positions = new HashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    positions.put(keys.get(i), i);
                }
            }
            return positions.getOrDefault(key, -1);
        }

        JsonNode get(String key) {
            int position = position(key);
            return position < 0 ? null : values.get(position);
        }
    }

    private Row row(
            TableSchema table,
            Record record,
            Map<String, Integer> indexes,
            int timeGeneratedIndex,
            int typeIndex,
            RecordSink sink) {
        Row.Builder row = table.newRow();
        for (int i = 0; i < record.columns.length; i++) {
            Column assigned = record.columns[i];
            if (assigned == null) {
                continue;
            }
            String name = assigned.name();
            Integer index = indexes.get(name);
            if (index == null) {
                index = table.indexOf(name);
                if (index < 0) {
                    throw new IllegalStateException("table " + table.name() + " has no column " + name);
                }
                indexes.put(name, index);
            }
            try {
                row.set(
                        index,
                        TypedValues.fromJson(
                                record.stored[i], table.columns().get(index).type()));
            } catch (TypedValues.ConversionException e) {
                // columnFor only chose a column the value converts to
                throw new IllegalStateException("value of " + name + " does not fit its column", e);
            }
        }
        row.set(timeGeneratedIndex, timeGenerated(record, sink));
        row.set(typeIndex, table.name());
        return row.build();
    }

    private Instant timeGenerated(Record record, RecordSink sink) {
        if (timeGeneratedField.isEmpty()) {
            return receivedAt;
        }
        JsonNode value = record.get(timeGeneratedField.get());
        if (value == null || !value.isTextual()) {
            return receivedAt;
        }
        Instant time = Timestamps.parse(value.asText());
        if (time == null || time.isBefore(receivedAt.minus(MAX_PAST)) || time.isAfter(receivedAt.plus(MAX_FUTURE))) {
            // the field keeps the sender's value in its own column; the replacement is counted like the store's
            sink.repaired(EventStore.TIME_REPAIR_REASON);
            return receivedAt;
        }
        return time;
    }

    /**
     * The first of {@code property_2}, {@code property_3}... that no other key of the record took, so each key
     * of a record keeps its value (Azure's own rule for such keys is not documented; this keeps them all).
     */
    private static String freeProperty(String property, Set<String> taken) {
        for (int number = 2; ; number++) {
            String candidate = property + "_" + number;
            if (taken.add(candidate)) {
                return candidate;
            }
        }
    }

    /** A property's column name with each suffix, in {@link Suffix} order. */
    private static String[] suffixedNames(String property) {
        Suffix[] suffixes = Suffix.values();
        String[] names = new String[suffixes.length];
        for (int i = 0; i < suffixes.length; i++) {
            names[i] = property + suffixes[i].text;
        }
        return names;
    }

    /** The column for a value: its own suffix if the table has it, else a column it converts to, else new. */
    private static Column columnFor(
            String[] suffixed, JsonNode value, Optional<TableSchema> existing, Map<String, Column> added) {
        Suffix inferred = infer(value);
        String own = suffixed[inferred.ordinal()];
        Column current = find(own, existing, added);
        if (current != null) {
            return current;
        }
        for (Suffix other : Suffix.values()) {
            Column candidate = find(suffixed[other.ordinal()], existing, added);
            if (candidate != null && converts(value, candidate.type())) {
                return candidate;
            }
        }
        Column column = new Column(own, inferred.type);
        added.put(own, column);
        return column;
    }

    private static Column find(String name, Optional<TableSchema> existing, Map<String, Column> added) {
        Column column = added.get(name);
        if (column != null || existing.isEmpty()) {
            return column;
        }
        TableSchema table = existing.get();
        int index = table.indexOf(name);
        return index < 0 ? null : table.columns().get(index);
    }

    private static boolean converts(JsonNode value, ColumnType type) {
        if (type == ColumnType.GUID) {
            return value.isTextual() && isGuid(value.asText());
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
        if (isGuid(text)) {
            return Suffix.GUID;
        }
        if (isIsoDateTime(text) && Timestamps.parse(text) != null) {
            return Suffix.DATE_TIME;
        }
        return Suffix.STRING;
    }

    /** {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}, without a regex. */
    static boolean isGuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code \d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}:\d{2})?}, without a regex.
     */
    static boolean isIsoDateTime(String text) {
        int n = text.length();
        if (n < 16
                || !digits(text, 0, 4)
                || text.charAt(4) != '-'
                || !digits(text, 5, 2)
                || text.charAt(7) != '-'
                || !digits(text, 8, 2)
                || text.charAt(10) != 'T'
                || !digits(text, 11, 2)
                || text.charAt(13) != ':'
                || !digits(text, 14, 2)) {
            return false;
        }
        int i = 16;
        if (i < n && text.charAt(i) == ':') {
            if (!digits(text, i + 1, 2)) {
                return false;
            }
            i += 3;
            if (i < n && text.charAt(i) == '.') {
                int start = ++i;
                while (i < n && isDigit(text.charAt(i))) {
                    i++;
                }
                if (i - start < 1 || i - start > 9) {
                    return false;
                }
            }
        }
        if (i == n) {
            return true;
        }
        char zone = text.charAt(i);
        if (zone == 'Z' || zone == 'z') {
            return i + 1 == n;
        }
        return (zone == '+' || zone == '-')
                && n == i + 6
                && digits(text, i + 1, 2)
                && text.charAt(i + 3) == ':'
                && digits(text, i + 4, 2);
    }

    private static boolean digits(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Column names keep letters, digits and underscores; anything else (per code point) becomes an underscore. */
    static String propertyName(String key) {
        StringBuilder name = new StringBuilder(key.length() + 1);
        for (int i = 0; i < key.length(); ) {
            int c = key.codePointAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                name.append((char) c);
            } else {
                name.append('_');
            }
            i += Character.charCount(c);
        }
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            name.insert(0, '_');
        }
        return name.toString();
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
