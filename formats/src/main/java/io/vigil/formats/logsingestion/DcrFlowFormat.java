package io.vigil.formats.logsingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.TypedValues;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.Dynamic;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The records of one Logs Ingestion request for one data flow, after its transform, typed into the
 * flow's output table. A custom output table is created with the stream's declared columns (plus the
 * standard TenantId, TimeGenerated and Type); a built-in table is written by column name. Fields the
 * table lacks go to a dynamic {@code AdditionalFields} column where the table has one, else are dropped
 * and counted, as Azure drops columns that the output table does not have ("Logs Ingestion API in
 * Azure Monitor", learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview). A record
 * without TimeGenerated gets the time it was received.
 */
public final class DcrFlowFormat implements LogFormat {
    public static final String NAME = "logs_ingestion";

    private static final Set<String> STANDARD_COLUMNS = Set.of("TenantId", "TimeGenerated", "Type");

    private final String outputTable;
    private final boolean transformed;
    private final List<Column> declaredColumns;
    private final List<ObjectNode> records;
    private final Instant receivedAt;
    private final UnaryOperator<TableSchema> ensureTable;
    private volatile String firstFailure;

    /**
     * @param outputTable the flow's output table, custom when it ends in {@code _CL}
     * @param transformed whether the records are a transform's output (named so in diagnostics)
     * @param ensureTable creates or extends the custom table and returns it as the store now has it
     */
    public DcrFlowFormat(
            String outputTable,
            boolean transformed,
            List<Column> declaredColumns,
            List<ObjectNode> records,
            Instant receivedAt,
            UnaryOperator<TableSchema> ensureTable) {
        this.outputTable = requireNonNull(outputTable, "outputTable is null");
        this.transformed = transformed;
        this.declaredColumns = List.copyOf(declaredColumns);
        this.records = List.copyOf(records);
        this.receivedAt = requireNonNull(receivedAt, "receivedAt is null");
        this.ensureTable = requireNonNull(ensureTable, "ensureTable is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Logs Ingestion API records typed by a data collection rule's stream declaration";
    }

    @Override
    public List<String> outputTables() {
        return List.of(outputTable);
    }

    @Override
    public int detect(byte[] head) {
        return 0;
    }

    /**
     * The first record that did not fit the output table, as its dead letter's detail says it: which
     * record (by its index in the request when the transform is {@code source}, else in the transform's
     * output), which field, the type expected and what was found.
     */
    public Optional<String> firstFailure() {
        return Optional.ofNullable(firstFailure);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        TableSchema table = outputTable(context);
        Optional<Column> additional =
                table.column("AdditionalFields").filter(column -> column.type() == ColumnType.DYNAMIC);
        String recordName = "record ";
        if (transformed) {
            recordName = "record of the transform's output ";
        }
        for (int index = 0; index < records.size(); index++) {
            ObjectNode record = records.get(index);
            var row = table.newRow();
            ObjectNode extra = JsonRecords.MAPPER.createObjectNode();
            boolean failed = false;
            Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
            while (fields.hasNext() && !failed) {
                Map.Entry<String, JsonNode> field = fields.next();
                Optional<Column> column = table.column(field.getKey());
                if (column.isEmpty()
                        || field.getKey().equals("Type")
                        || field.getKey().equals("TenantId")) {
                    extra.set(field.getKey(), field.getValue());
                    continue;
                }
                try {
                    row.set(
                            field.getKey(),
                            TypedValues.fromJson(field.getValue(), column.get().type()));
                } catch (TypedValues.ConversionException e) {
                    String detail = recordName + index + ", field '" + field.getKey() + "': expected "
                            + column.get().type().kqlName() + ", " + shortened(e.getMessage());
                    if (firstFailure == null) {
                        firstFailure = detail;
                    }
                    sink.deadLetter(new DeadLetter(
                            source, NAME, e.reason(), detail, record.toString().getBytes(UTF_8)));
                    failed = true;
                }
            }
            if (failed) {
                continue;
            }
            if (!extra.isEmpty()) {
                if (additional.isPresent()) {
                    row.set("AdditionalFields", new Dynamic(extra.toString()));
                } else {
                    sink.repaired("unknown_column_dropped");
                }
            }
            if (row.get("TimeGenerated") == null) {
                row.set("TimeGenerated", receivedAt);
            }
            row.set("Type", table.name());
            sink.row(row.build());
        }
    }

    /** A value quoted in a message is cut: a 32 KB string says no more than its first characters. */
    private static String shortened(String message) {
        int max = 200;
        if (message.length() <= max) {
            return message;
        }
        return message.substring(0, max) + "…";
    }

    private TableSchema outputTable(ParseContext context) {
        if (!outputTable.endsWith("_CL")) {
            return context.catalog().require(outputTable);
        }
        List<Column> columns = new ArrayList<>();
        for (Column column : declaredColumns) {
            if (!STANDARD_COLUMNS.contains(column.name())) {
                columns.add(column);
            }
        }
        Optional<TableSchema> existing = context.catalog().tableIgnoringCase(outputTable);
        if (existing.isPresent()
                && columns.stream().allMatch(column -> existing.get().indexOf(column.name()) >= 0)) {
            return existing.get();
        }
        return ensureTable.apply(new TableSchema(outputTable, columns));
    }
}
