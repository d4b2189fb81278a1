package io.vigil.formats.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureCategories;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureRow;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.util.List;
import java.util.Map;

/**
 * Entra ID audit records (diagnostic-settings export, category {@code AuditLogs}) to {@code AuditLogs},
 * per "Microsoft Entra audit logs schema in Azure Monitor" and the AuditLogs table reference. The
 * workspace's Category column is the audit category ({@code properties.category}, e.g. "UserManagement"),
 * not the diagnostic category.
 */
public final class EntraAuditFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "entra_audit";
    public static final String TABLE = "AuditLogs";

    private static final Map<String, String> RENAMED = Map.of("operationType", "AADOperationType");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Entra ID audit records (diagnostic-settings export) to AuditLogs";
    }

    @Override
    public List<String> outputTables() {
        return List.of(TABLE);
    }

    @Override
    public int detect(byte[] head) {
        return AzureCategories.score(head, AzureCategories.Kind.ENTRA_AUDIT);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        EntraRecords.map(source, NAME, record, TABLE, EntraAuditFormat::property, context, sink);
    }

    private static boolean property(String name, JsonNode value, AzureRow row) {
        String column = RENAMED.getOrDefault(name, EntraRecords.capitalize(name));
        if (!row.has(column)) {
            return false;
        }
        row.json(column, value, "properties." + name);
        return true;
    }
}
