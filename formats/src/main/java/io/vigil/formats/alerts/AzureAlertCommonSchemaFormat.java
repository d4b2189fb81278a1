package io.vigil.formats.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.List;
import java.util.Locale;

/**
 * Azure Monitor alerts in the common alert schema ("Common alert schema",
 * learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema: {@code schemaId}
 * azureMonitorCommonAlertSchema, {@code data.essentials}, {@code data.alertContext}) to
 * {@code SecurityAlert}. Azure Monitor severities Sev0–Sev4 (Critical, Error, Warning, Informational,
 * Verbose) map onto SecurityAlert's High/Medium/Low/Informational scale; the alert context and custom
 * properties are kept in ExtendedProperties.
 */
public final class AzureAlertCommonSchemaFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "azure_alert_common_schema";
    public static final String TABLE = "SecurityAlert";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Azure Monitor common alert schema payloads (action-group webhooks) to SecurityAlert";
    }

    @Override
    public List<String> outputTables() {
        return List.of(TABLE);
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.contains("azureMonitorCommonAlertSchema")) {
            return 95;
        }
        if (text.contains("\"essentials\"") && text.contains("\"alertContext\"")) {
            return 80;
        }
        return 0;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        JsonNode data = record.path("data");
        JsonNode essentials = data.path("essentials");
        if (!essentials.isObject()) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "no data.essentials object", record));
            return;
        }
        Instant fired = Timestamps.parse(AzureRow.text(essentials.get("firedDateTime")));
        Instant resolved = Timestamps.parse(AzureRow.text(essentials.get("resolvedDateTime")));
        if (fired == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source,
                    NAME,
                    DeadLetterReason.BAD_TIMESTAMP,
                    "essentials.firedDateTime is missing or bad",
                    record));
            return;
        }
        AzureRow row = new AzureRow(context.catalog().require(TABLE));
        String condition = AzureRow.text(essentials.get("monitorCondition"));
        boolean isResolved = "Resolved".equalsIgnoreCase(condition) && resolved != null;
        // each state change is its own event: a resolution is generated when it resolved
        if (isResolved) {
            row.set("TimeGenerated", resolved);
            row.set("EndTime", resolved);
            row.set("Status", "Resolved");
        } else {
            row.set("TimeGenerated", fired);
            row.set("Status", "New");
        }
        row.set("StartTime", fired);
        row.json("AlertName", essentials.get("alertRule"));
        row.json("DisplayName", essentials.get("alertRule"));
        row.json("Description", essentials.get("description"));
        row.set("AlertSeverity", severity(AzureRow.text(essentials.get("severity"))));
        row.json("AlertType", essentials.get("signalType"));
        row.json("ProviderName", essentials.get("monitoringService"));
        row.set("ProductName", "Azure Monitor");
        row.set("VendorName", "Microsoft");
        row.json("VendorOriginalId", essentials.get("originAlertId"));
        String alertId = AzureRow.text(essentials.get("alertId"));
        if (alertId != null) {
            // the alert's own GUID is the last segment of its ARM ID
            row.set("SystemAlertId", alertId.substring(alertId.lastIndexOf('/') + 1));
        }
        JsonNode targets = essentials.path("alertTargetIDs");
        row.json("ResourceId", targets.get(0));
        JsonNode items = essentials.path("configurationItems");
        row.json("CompromisedEntity", items.get(0));
        row.set("Entities", entities(targets));
        ObjectNode extended = JsonRecords.MAPPER.createObjectNode();
        extended.set("essentials", essentials);
        extended.set("alertContext", data.path("alertContext"));
        if (data.has("customProperties")) {
            extended.set("customProperties", data.get("customProperties"));
        }
        record.fields().forEachRemaining(entry -> {
            if (!entry.getKey().equals("data") && !entry.getKey().equals("schemaId")) {
                extended.set(entry.getKey(), entry.getValue());
            }
        });
        row.extras().fields().forEachRemaining(entry -> extended.set(entry.getKey(), entry.getValue()));
        row.set("ExtendedProperties", extended.toString());
        sink.row(row.build());
    }

    /** Sentinel's azure-resource entities, one per alert target. */
    private static String entities(JsonNode targets) {
        ArrayNode entities = JsonRecords.MAPPER.createArrayNode();
        int id = 1;
        for (JsonNode target : targets) {
            ObjectNode entity = entities.addObject();
            entity.put("$id", String.valueOf(id++));
            entity.put("ResourceId", target.asText());
            entity.put("Type", "azure-resource");
        }
        if (entities.isEmpty()) {
            return null;
        }
        return entities.toString();
    }

    static String severity(String severity) {
        if (severity == null) {
            return null;
        }
        return switch (severity.toLowerCase(Locale.ROOT)) {
            case "sev0", "sev1" -> "High";
            case "sev2" -> "Medium";
            case "sev3" -> "Low";
            case "sev4" -> "Informational";
            default -> severity;
        };
    }
}
