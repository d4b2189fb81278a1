package io.vigil.formats.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureResourceId;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * What Entra ID sign-in and audit records share: the diagnostic-settings envelope fields (time,
 * resourceId, operationName, category, result*, durationMs, callerIpAddress, correlationId, identity,
 * level, location, tenantId) around a {@code properties} object shaped like the Microsoft Graph
 * {@code signIn} or {@code directoryAudit} resource. Field names are documented in "Interpret the
 * Microsoft Entra sign-in logs schema in Azure Monitor" and "...audit logs schema"
 * (learn.microsoft.com/entra/identity/monitoring-health/reference-azure-monitor-sign-ins-log-schema).
 */
final class EntraRecords {
    /** Maps one properties field; returns false when the field has no column (it then goes to the extras). */
    @FunctionalInterface
    interface PropertyMapper {
        boolean map(String name, JsonNode value, AzureRow row);
    }

    private EntraRecords() {}

    static void map(
            String source,
            String format,
            ObjectNode record,
            String table,
            PropertyMapper properties,
            ParseContext context,
            RecordSink sink) {
        Instant time = Timestamps.parse(AzureRow.text(record.get("time")));
        if (time == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, format, DeadLetterReason.BAD_TIMESTAMP, "record has no valid time", record));
            return;
        }
        AzureRow row = new AzureRow(context.catalog().require(table));
        row.set("TimeGenerated", time);
        // properties first: where both levels carry a value (correlationId, location, ipAddress) the
        // Graph resource is the more specific one
        JsonNode props = record.get("properties");
        if (props instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!properties.map(field.getKey(), field.getValue(), row)) {
                    row.extra("properties." + field.getKey(), field.getValue());
                }
            }
        } else if (props != null) {
            row.extra("properties", props);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "time", "properties" -> {}
                case "resourceId" -> resourceId(AzureRow.text(value), row);
                case "callerIpAddress" -> setIfAbsent(row, "IPAddress", value);
                case "tenantId" -> setIfAbsent(row, "AADTenantId", value);
                case "Level", "level" -> setIfAbsent(row, "Level", value);
                case "category",
                        "operationName",
                        "operationVersion",
                        "resultType",
                        "resultSignature",
                        "resultDescription",
                        "durationMs",
                        "correlationId",
                        "identity",
                        "location" -> setIfAbsent(row, capitalize(name), value);
                default -> row.extra(name, value);
            }
        }
        row.set("SourceSystem", "Azure AD");
        if (!row.extras().isEmpty()) {
            // Entra tables have no catch-all column: count what the reference schema has no place for
            sink.repaired("unmapped_field");
        }
        if (row.wrongTypes() > 0) {
            sink.repaired("wrong_type_kept_raw");
        }
        sink.row(row.build());
    }

    static void setIfAbsent(AzureRow row, String column, JsonNode value) {
        if (!row.has(column)) {
            row.extra(column, value);
            return;
        }
        if (!row.isSet(column)) {
            row.json(column, value);
        }
    }

    /**
     * Entra records name the tenant's directory provider as their resource
     * ({@code /tenants/{id}/providers/Microsoft.aadiam}); the workspace shows it as Resource,
     * ResourceGroup and ResourceProvider alike.
     */
    private static void resourceId(String id, AzureRow row) {
        if (id == null) {
            return;
        }
        row.set("ResourceId", id);
        String provider = AzureResourceId.parse(id).provider();
        if (!provider.isEmpty()) {
            row.set("Resource", provider);
            row.set("ResourceGroup", provider);
            row.set("ResourceProvider", provider);
        }
    }

    static String capitalize(String name) {
        if (name.isEmpty()) {
            return name;
        }
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }
}
