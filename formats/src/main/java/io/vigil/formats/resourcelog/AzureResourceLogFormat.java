package io.vigil.formats.resourcelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.activity.AzureActivityFormat;
import io.vigil.formats.common.AzureCategories;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureResourceId;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.Timestamps;
import io.vigil.formats.entra.EntraAuditFormat;
import io.vigil.formats.entra.EntraSigninFormat;
import io.vigil.formats.nsgflow.NsgFlowFormat;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.TableSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure resource logs in the common schema ("Common and service-specific schemas for Azure resource
 * logs", learn.microsoft.com/azure/azure-monitor/platform/resource-logs-schema) to AzureDiagnostics,
 * or to a resource-specific table where the category has one (storage data-plane logs). It is also
 * the dispatcher for mixed Event Hubs messages: a record whose category belongs to the activity log,
 * Entra ID or flow logs goes through that format's mapper and lands in that format's table.
 */
public final class AzureResourceLogFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "azure_resource_log";
    public static final String TABLE = "AzureDiagnostics";

    private final AzureActivityFormat activity = new AzureActivityFormat();
    private final EntraSigninFormat signin = new EntraSigninFormat();
    private final EntraAuditFormat audit = new EntraAuditFormat();
    private final NsgFlowFormat flows = new NsgFlowFormat();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Azure resource logs (common schema) to AzureDiagnostics and resource-specific tables; "
                + "dispatches activity, Entra and flow records of mixed Event Hubs messages";
    }

    @Override
    public List<String> outputTables() {
        List<String> tables = new ArrayList<>();
        tables.add(TABLE);
        tables.addAll(List.of("StorageBlobLogs", "StorageFileLogs", "StorageQueueLogs", "StorageTableLogs"));
        tables.addAll(activity.outputTables());
        tables.addAll(signin.outputTables());
        tables.addAll(audit.outputTables());
        tables.addAll(flows.outputTables());
        return List.copyOf(tables);
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (AzureCategories.kindsIn(text).size() > 1) {
            // a mixed message: only the dispatcher takes every record, so it must win over each specific format
            return 100;
        }
        if (text.contains("\"resourceId\"") && text.contains("\"category\"")) {
            return 50;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        String category = AzureRow.text(record.get("category"));
        switch (AzureCategories.kindOf(category)) {
            case ACTIVITY -> activity.map(source, record, context, sink);
            case ENTRA_SIGNIN -> signin.map(source, record, context, sink);
            case ENTRA_AUDIT -> audit.map(source, record, context, sink);
            case FLOW -> flows.map(source, record, context, sink);
            case RESOURCE_LOG -> mapResourceLog(source, record, category, context, sink);
        }
    }

    private static void mapResourceLog(
            String source, ObjectNode record, String category, ParseContext context, RecordSink sink) {
        Instant time = Timestamps.parse(AzureRow.text(record.get("time")));
        if (time == null) {
            // Event Hubs' OperationalLogs carry no "time", only "EventTimeString" ("11/3/2020 9:06:42 AM +00:00")
            time = Timestamps.parse(AzureRow.text(record.get("EventTimeString")));
        }
        if (time == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.BAD_TIMESTAMP, "record has no valid time", record));
            return;
        }
        Optional<String> storageTable = StorageLogMapper.tableFor(category, AzureRow.text(record.get("resourceId")));
        if (storageTable.isPresent()) {
            AzureRow row = new AzureRow(context.catalog().require(storageTable.get()));
            StorageLogMapper.map(record, time, row);
            if (!row.extras().isEmpty()) {
                // the storage tables have no catch-all column
                sink.repaired("unmapped_field");
            }
            finish(row, sink);
            return;
        }
        TableSchema known = context.catalog().require(TABLE);
        AzureRow row = diagnosticsRow(known, record, time);
        // properties without a column get one on first sight (Azure's diagnostics mode), up to 500 columns
        Optional<TableSchema> extended = DiagnosticsColumns.extend(known, row.extras());
        if (extended.isPresent()) {
            row = diagnosticsRow(extended.get(), record, time);
        }
        if (!row.extras().isEmpty()) {
            row.set("AdditionalFields", new Dynamic(row.extras().toString()));
        }
        finish(row, sink);
    }

    /** The AzureDiagnostics row of a record, mapped onto {@code table}'s columns; the rest in its extras. */
    private static AzureRow diagnosticsRow(TableSchema table, ObjectNode record, Instant time) {
        AzureRow row = new AzureRow(table);
        row.set("TimeGenerated", time);
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "time" -> {}
                case "resourceId" -> resourceId(AzureRow.text(value), row);
                case "category" -> row.json("Category", value);
                case "operationName" -> row.json("OperationName", value);
                case "operationVersion" -> row.json("OperationVersion", value);
                case "resultType" -> row.json("ResultType", value);
                case "resultSignature" -> row.json("ResultSignature", value);
                case "resultDescription" -> row.json("ResultDescription", value);
                case "durationMs" -> row.json("DurationMs", value);
                case "callerIpAddress" -> row.json("CallerIPAddress", value);
                case "correlationId" -> row.json("CorrelationId", value);
                case "level" -> row.json("Level", value);
                case "identity" -> DiagnosticsFlattener.flatten("identity", value, row);
                // properties' fields become top-level columns (properties.requestUri → requestUri_s)
                case "properties" -> {
                    if (value.isObject()) {
                        DiagnosticsFlattener.flattenFields("", value, row);
                    } else {
                        DiagnosticsFlattener.flatten("properties", value, row);
                    }
                }
                default -> DiagnosticsFlattener.flatten(name, value, row);
            }
        }
        row.set("SourceSystem", "Azure");
        return row;
    }

    private static void finish(AzureRow row, RecordSink sink) {
        if (row.wrongTypes() > 0) {
            sink.repaired("wrong_type_kept_raw");
        }
        sink.row(row.build());
    }

    /**
     * AzureDiagnostics stores the resource ID's parts upper-cased (SubscriptionId as written) and
     * {@code _ResourceId} lower-cased.
     */
    static void resourceId(String id, AzureRow row) {
        if (id == null) {
            return;
        }
        AzureResourceId parts = AzureResourceId.parse(id);
        row.set("_ResourceId", parts.normalized());
        setUpper(row, "SubscriptionId", parts.subscriptionId());
        setUpper(row, "ResourceGroup", parts.resourceGroup());
        setUpper(row, "ResourceProvider", parts.provider());
        setUpper(row, "ResourceType", parts.resourceType());
        setUpper(row, "Resource", parts.name());
    }

    private static void setUpper(AzureRow row, String column, String value) {
        if (!value.isEmpty()) {
            row.set(column, value.toUpperCase(Locale.ROOT));
        }
    }
}
