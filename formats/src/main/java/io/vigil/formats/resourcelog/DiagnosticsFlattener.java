package io.vigil.formats.resourcelog;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.Timestamps;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The AzureDiagnostics column convention: a nested field becomes one column named by its path joined
 * with '_' plus a type suffix ({@code _s} string, {@code _d} number, {@code _b} bool, {@code _t}
 * datetime, {@code _g} GUID), e.g. {@code properties.httpStatusCode} → {@code httpStatusCode_d} and
 * {@code identity.claim.appid} → {@code identity_claim_appid_g} ("AzureDiagnostics",
 * learn.microsoft.com/azure/azure-monitor/reference/tables/azurediagnostics, and "Azure resource logs
 * - Azure diagnostics mode", learn.microsoft.com/azure/azure-monitor/platform/resource-logs). Only the
 * columns the table has are filled; a field with no matching column is kept in the row's extras, which
 * become {@code AdditionalFields} (Azure's place for fields beyond its 500-column limit); {@link
 * DiagnosticsColumns} adds the columns a record needs before it is mapped.
 */
final class DiagnosticsFlattener {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*");

    private DiagnosticsFlattener() {}

    /** Flattens the fields of {@code object} with names starting with {@code prefix} (may be ""). */
    static void flattenFields(String prefix, JsonNode object, AzureRow row) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            flatten(prefix + field.getKey(), field.getValue(), row);
        }
    }

    /** Flattens one value under the column base name {@code name}. */
    static void flatten(String name, JsonNode value, AzureRow row) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isObject()) {
            if (value.isEmpty()) {
                row.extra(name, value);
                return;
            }
            flattenFields(name + "_", value, row);
            return;
        }
        if (!place(name, value, row)) {
            row.extra(name, value);
        }
    }

    /** The column a scalar (or array) goes to, chosen by the value's type; false when the table has none. */
    private static boolean place(String name, JsonNode value, AzureRow row) {
        String preferred = name + suffix(value);
        if (!preferred.endsWith("_s") && tryColumn(preferred, value, row)) {
            return true;
        }
        return tryColumn(name + "_s", value, row);
    }

    /**
     * Azure's type suffix of a scalar (or array) value: {@code _b} bool, {@code _d} number, {@code _g} a GUID's
     * text, {@code _t} a datetime's text, {@code _s} anything else (arrays as their JSON text).
     */
    static String suffix(JsonNode value) {
        if (value.isBoolean()) {
            return "_b";
        }
        if (value.isNumber()) {
            return "_d";
        }
        if (value.isArray()) {
            return "_s";
        }
        String text = value.asText();
        if (GUID.matcher(text).matches()) {
            return "_g";
        }
        if (DATETIME.matcher(text).matches() && Timestamps.parse(text) != null) {
            return "_t";
        }
        return "_s";
    }

    private static boolean tryColumn(String column, JsonNode value, AzureRow row) {
        if (!row.has(column) || row.isSet(column)) {
            return false;
        }
        return row.json(column, value, column);
    }
}
