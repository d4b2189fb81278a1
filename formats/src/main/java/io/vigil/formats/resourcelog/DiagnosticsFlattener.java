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
 * become {@code AdditionalFields} (Azure's place for fields beyond its 500-column limit).
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
        if (value.isBoolean()) {
            return tryColumn(name + "_b", value, row) || tryColumn(name + "_s", value, row);
        }
        if (value.isNumber()) {
            return tryColumn(name + "_d", value, row) || tryColumn(name + "_s", value, row);
        }
        if (value.isArray()) {
            return tryColumn(name + "_s", value, row);
        }
        String text = value.asText();
        if (GUID.matcher(text).matches() && tryColumn(name + "_g", value, row)) {
            return true;
        }
        if (DATETIME.matcher(text).matches() && Timestamps.parse(text) != null && tryColumn(name + "_t", value, row)) {
            return true;
        }
        return tryColumn(name + "_s", value, row);
    }

    private static boolean tryColumn(String column, JsonNode value, AzureRow row) {
        if (!row.has(column) || row.isSet(column)) {
            return false;
        }
        return row.json(column, value, column);
    }
}
