package io.vigil.formats.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Microsoft Defender for Cloud alerts to {@code SecurityAlert}: the continuous-export shape
 * (PascalCase: AlertDisplayName, Severity, StartTimeUtc…, "Alert schemas",
 * learn.microsoft.com/azure/defender-for-cloud/alerts-schemas) and the ARM resource
 * {@code Microsoft.Security/locations/alerts} with lower-camel {@code properties} (REST "Alerts - Get").
 * Fields without a column are merged into ExtendedProperties (a string column holding a JSON object).
 */
public final class DefenderAlertFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "defender_alert";
    public static final String TABLE = "SecurityAlert";

    // continuous-export field (ARM properties field capitalized) → SecurityAlert column
    private static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("AlertDisplayName", "AlertName"),
            Map.entry("AlertType", "AlertType"),
            Map.entry("Severity", "AlertSeverity"),
            Map.entry("Description", "Description"),
            Map.entry("StartTimeUtc", "StartTime"),
            Map.entry("EndTimeUtc", "EndTime"),
            Map.entry("ProcessingEndTimeUtc", "ProcessingEndTime"),
            Map.entry("ProcessingEndTime", "ProcessingEndTime"),
            Map.entry("SystemAlertId", "SystemAlertId"),
            Map.entry("CompromisedEntity", "CompromisedEntity"),
            Map.entry("Entities", "Entities"),
            Map.entry("ExtendedLinks", "ExtendedLinks"),
            Map.entry("Intent", "Tactics"),
            Map.entry("Techniques", "Techniques"),
            Map.entry("SubTechniques", "SubTechniques"),
            Map.entry("RemediationSteps", "RemediationSteps"),
            Map.entry("VendorName", "VendorName"),
            Map.entry("ProductName", "ProductName"),
            Map.entry("ProductComponentName", "ProductComponentName"),
            Map.entry("ProviderName", "ProviderName"),
            Map.entry("AlertUri", "AlertLink"),
            Map.entry("Status", "Status"),
            Map.entry("IsIncident", "IsIncident"),
            Map.entry("ConfidenceLevel", "ConfidenceLevel"),
            Map.entry("ConfidenceScore", "ConfidenceScore"),
            Map.entry("VendorOriginalId", "VendorOriginalId"),
            Map.entry("SourceComputerId", "SourceComputerId"),
            Map.entry("WorkspaceSubscriptionId", "WorkspaceSubscriptionId"),
            Map.entry("WorkspaceResourceGroup", "WorkspaceResourceGroup"),
            Map.entry("AzureResourceId", "ResourceId"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Defender for Cloud alerts (continuous export or ARM Microsoft.Security/alerts) to SecurityAlert";
    }

    @Override
    public List<String> outputTables() {
        return List.of(TABLE);
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.contains("\"AlertDisplayName\"") || text.contains("\"alertDisplayName\"")) {
            return 90;
        }
        if (text.contains("Microsoft.Security/Locations/alerts") || text.contains("\"SystemAlertId\"")) {
            return 70;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        ObjectNode alert = record;
        ObjectNode outer = JsonRecords.MAPPER.createObjectNode();
        if (record.get("properties") instanceof ObjectNode properties && !record.has("AlertDisplayName")) {
            // the ARM resource: id/name/type around lower-camel properties
            alert = properties;
            record.fields().forEachRemaining(entry -> {
                if (!entry.getKey().equals("properties")) {
                    outer.set(entry.getKey(), entry.getValue());
                }
            });
        }
        AzureRow row = new AzureRow(context.catalog().require(TABLE));
        ObjectNode extended = JsonRecords.MAPPER.createObjectNode();
        Instant time = null;
        Iterator<Map.Entry<String, JsonNode>> fields = alert.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = capitalize(field.getKey());
            JsonNode value = field.getValue();
            if (name.equals("TimeGenerated") || name.equals("TimeGeneratedUtc")) {
                time = Timestamps.parse(AzureRow.text(value));
                continue;
            }
            if (name.equals("ExtendedProperties")) {
                mergeExtended(value, extended);
                continue;
            }
            if (name.equals("ResourceIdentifiers") && value.isArray()) {
                // the first Azure resource identifier names the alerted resource
                for (JsonNode identifier : value) {
                    String id = AzureRow.text(identifier.get("azureResourceId"));
                    if (id == null) {
                        id = AzureRow.text(identifier.get("AzureResourceId"));
                    }
                    if (id != null && !row.isSet("ResourceId")) {
                        row.set("ResourceId", id);
                    }
                }
                extended.set(field.getKey(), value);
                continue;
            }
            String column = COLUMNS.get(name);
            if (column == null) {
                extended.set(field.getKey(), value);
                continue;
            }
            if (column.equals("AlertName")) {
                row.json("DisplayName", value);
            }
            if (column.equals("Tactics") || column.equals("Techniques") || column.equals("SubTechniques")) {
                // SecurityAlert keeps these as comma-separated text
                row.set(column, joined(value));
                continue;
            }
            if (!row.json(column, value)) {
                extended.set(field.getKey(), value);
            }
        }
        outer.fields().forEachRemaining(entry -> extended.set(entry.getKey(), entry.getValue()));
        if (time == null) {
            time = startTime(alert);
        }
        if (time == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.BAD_TIMESTAMP, "alert has no valid time", record));
            return;
        }
        row.set("TimeGenerated", time);
        row.extras().fields().forEachRemaining(entry -> extended.set(entry.getKey(), entry.getValue()));
        if (!extended.isEmpty()) {
            row.set("ExtendedProperties", extended.toString());
        }
        if (row.wrongTypes() > 0) {
            sink.repaired("wrong_type_kept_raw");
        }
        sink.row(row.build());
    }

    private static Instant startTime(JsonNode alert) {
        for (String name : List.of("StartTimeUtc", "startTimeUtc")) {
            Instant time = Timestamps.parse(AzureRow.text(alert.get(name)));
            if (time != null) {
                return time;
            }
        }
        return null;
    }

    private static void mergeExtended(JsonNode value, ObjectNode extended) {
        if (value instanceof ObjectNode object) {
            extended.setAll(object);
            return;
        }
        if (value.isTextual()) {
            try {
                if (JsonRecords.MAPPER.readTree(value.asText()) instanceof ObjectNode object) {
                    extended.setAll(object);
                    return;
                }
            } catch (java.io.IOException e) {
                // not JSON text: kept as a plain value below
            }
        }
        extended.set("ExtendedProperties", value);
    }

    static String joined(JsonNode value) {
        if (!value.isArray()) {
            return AzureRow.text(value);
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode item : value) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(item.asText());
        }
        return out.toString();
    }

    private static String capitalize(String name) {
        if (name.isEmpty()) {
            return name;
        }
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }
}
