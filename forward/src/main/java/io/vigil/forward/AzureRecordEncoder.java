package io.vigil.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Column;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A row as one record of Azure Monitor's diagnostic-settings export (what diagnostic settings write to an
 * event hub or to {@code PT1H.json} blobs inside {@code {"records":[…]}}), so SIEM integrations built for
 * Azure's event hubs read Vigil's output unchanged:
 *
 * <ul>
 *   <li>the resource-log top-level common schema ("Common and service-specific schemas for Azure resource
 *       logs", learn.microsoft.com/azure/azure-monitor/platform/resource-logs-schema): {@code time},
 *       {@code resourceId}, {@code tenantId}, {@code operationName}, {@code operationVersion},
 *       {@code category}, {@code resultType}, {@code resultSignature}, {@code resultDescription},
 *       {@code durationMs}, {@code callerIpAddress}, {@code correlationId}, {@code identity}, {@code level},
 *       {@code location}, {@code properties};
 *   <li>Entra ID sign-in and audit records ("Microsoft Entra sign-in logs schema in Azure Monitor"): the
 *       same top level with the categories {@code SignInLogs}, {@code NonInteractiveUserSignInLogs},
 *       {@code ServicePrincipalSignInLogs}, {@code ManagedIdentitySignInLogs}, {@code AuditLogs}, resource
 *       {@code /tenants/<tenant>/providers/Microsoft.aadiam}, and the Graph {@code signIn} /
 *       {@code directoryAudit} properties in camelCase (the columns' names with a lower-case first letter,
 *       and the few the table renames spelled as Graph does);
 *   <li>the Activity log as exported to event hubs ("Azure Activity Log event schema", section "Schema from
 *       storage account and event hubs"): {@code category} is the event category ({@code Administrative},
 *       {@code Security}, {@code Policy}…), {@code operationName} the operation.
 * </ul>
 *
 * <p>Every other table (SecurityAlert, SecurityIncident, Syslog…) uses the common schema with the table as
 * category and its non-empty columns under their own names in {@code properties}, since Azure exports those
 * tables (data export rules) with Log Analytics' column names. A {@code resourceId} comes from the row's
 * {@code _ResourceId} or {@code ResourceId}; a row without one gets {@code /tenants/<workspace>/providers/
 * Vigil/tables/<table>}. The text holds no raw line break.
 */
public final class AzureRecordEncoder implements Encoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Entra tables to their diagnostic-settings category. */
    private static final Map<String, String> ENTRA_CATEGORIES = Map.of(
            "SigninLogs", "SignInLogs",
            "AADNonInteractiveUserSignInLogs", "NonInteractiveUserSignInLogs",
            "AADServicePrincipalSignInLogs", "ServicePrincipalSignInLogs",
            "AADManagedIdentitySignInLogs", "ManagedIdentitySignInLogs",
            "AuditLogs", "AuditLogs");

    /** Columns a sign-in table names differently from the Graph property it holds. */
    private static final Map<String, String> ENTRA_PROPERTIES = Map.of(
            "ConditionalAccessPolicies", "appliedConditionalAccessPolicies",
            "ResourceIdentity", "resourceId",
            "RiskEventTypes_V2", "riskEventTypes_v2",
            "IPAddress", "ipAddress",
            "IPAddressFromResourceProvider", "ipAddressFromResourceProvider",
            "LocationDetails", "location",
            "ProcessingTimeInMs", "processingTimeInMilliseconds",
            "ProcessingTimeInMilliseconds", "processingTimeInMilliseconds");

    /** Columns that are the record's top level in an Entra record, not properties. */
    private static final Set<String> ENTRA_TOP_LEVEL = Set.of(
            "OperationName",
            "OperationVersion",
            "Category",
            "ResultType",
            "ResultSignature",
            "ResultDescription",
            "DurationMs",
            "CorrelationId",
            "Identity",
            "Level",
            "Location",
            "AADTenantId",
            "ResourceId",
            "Resource",
            "ResourceGroup",
            "ResourceProvider",
            "SourceSystem");

    /** Columns no record carries: the workspace's bookkeeping (Azure's export leaves them out as well). */
    private static final Set<String> NOT_SENT =
            Set.of("TimeGenerated", "TenantId", "Type", "_BilledSize", "_IsBillable", "_ResourceId");

    @Override
    public String encode(Row row) {
        try {
            return JSON.writeValueAsString(record(row));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("row not writable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The record as a JSON object. */
    public static ObjectNode record(Row row) {
        String table = row.table().name();
        boolean entra = ENTRA_CATEGORIES.containsKey(table);
        ObjectNode record = JSON.createObjectNode();
        Object time = value(row, "TimeGenerated");
        if (time != null) {
            record.put("time", time.toString());
        }
        record.put("resourceId", resourceId(row, entra));
        putText(record, "tenantId", entra ? first(row, "AADTenantId", "TenantId") : value(row, "TenantId"));
        putText(record, "operationName", operationName(row));
        putText(record, "operationVersion", value(row, "OperationVersion"));
        record.put("category", category(row));
        putText(record, "resultType", first(row, "ResultType", "ActivityStatusValue"));
        putText(record, "resultSignature", first(row, "ResultSignature", "ActivitySubstatusValue"));
        putText(record, "resultDescription", value(row, "ResultDescription"));
        Object duration = value(row, "DurationMs");
        if (duration instanceof Number number) {
            record.put("durationMs", number.longValue());
        }
        putText(record, "callerIpAddress", first(row, "CallerIpAddress", "IPAddress"));
        putText(record, "correlationId", value(row, "CorrelationId"));
        putText(record, "identity", first(row, "Identity", "Caller"));
        putText(record, "level", value(row, "Level"));
        putText(record, "location", value(row, "Location"));
        ObjectNode properties = record.putObject("properties");
        for (Column column : row.table().columns()) {
            String name = column.name();
            Object value = row.get(name);
            if (value == null || NOT_SENT.contains(name) || (entra && ENTRA_TOP_LEVEL.contains(name))) {
                continue;
            }
            if (value instanceof String text && text.isEmpty()) {
                continue;
            }
            String property = name;
            if (entra) {
                property = ENTRA_PROPERTIES.getOrDefault(name, decapitalize(name));
            }
            properties.set(property, json(value));
        }
        if (entra && !properties.has("status") && table.toLowerCase(Locale.ROOT).contains("signin")) {
            status(row).ifPresent(status -> properties.set("status", status));
        }
        return record;
    }

    /**
     * Azure's own event hub for a table's category when a diagnostic setting names none: {@code
     * insights-activity-logs} for the Activity log, {@code insights-logs-<category>} (lower case) otherwise
     * ("Stream Azure monitoring data to an event hub", learn.microsoft.com/azure/azure-monitor/essentials/
     * stream-monitoring-data-event-hubs).
     */
    public static String defaultTopic(String table) {
        if (table.equals("AzureActivity")) {
            return "insights-activity-logs";
        }
        String category = ENTRA_CATEGORIES.getOrDefault(table, table);
        return "insights-logs-" + category.toLowerCase(Locale.ROOT);
    }

    /**
     * The partition key: the alert's id for SecurityAlert (its updates stay in order on one partition), the
     * incident's name for SecurityIncident, else the table.
     */
    public static String key(Row row) {
        Object key = switch (row.table().name()) {
            case "SecurityAlert" -> value(row, "SystemAlertId");
            case "SecurityIncident" -> first(row, "IncidentName", "IncidentNumber");
            default -> null;
        };
        if (key == null || key.toString().isEmpty()) {
            return row.table().name();
        }
        return key.toString();
    }

    private static String category(Row row) {
        String table = row.table().name();
        String entra = ENTRA_CATEGORIES.get(table);
        if (entra != null) {
            return entra;
        }
        Object category = switch (table) {
            case "AzureActivity" -> value(row, "CategoryValue");
            case "AzureDiagnostics" -> value(row, "Category");
            default -> null;
        };
        if (category == null || category.toString().isEmpty()) {
            return table;
        }
        return category.toString();
    }

    private static Object operationName(Row row) {
        Object name = first(row, "OperationNameValue", "OperationName");
        if (name == null) {
            return row.table().name();
        }
        return name;
    }

    private static String resourceId(Row row, boolean entra) {
        Object id = first(row, "_ResourceId", "ResourceId");
        if (id != null && !entra) {
            return id.toString();
        }
        Object tenant = entra ? first(row, "AADTenantId", "TenantId") : value(row, "TenantId");
        String tenantText = tenant == null ? "" : tenant.toString();
        if (entra) {
            return "/tenants/" + tenantText + "/providers/Microsoft.aadiam";
        }
        return "/tenants/" + tenantText + "/providers/Vigil/tables/"
                + row.table().name();
    }

    /** {@code status} from ResultType and ResultDescription when the row keeps no Status: Graph's errorCode. */
    private static Optional<ObjectNode> status(Row row) {
        Object resultType = value(row, "ResultType");
        if (resultType == null) {
            return Optional.empty();
        }
        ObjectNode status = JSON.createObjectNode();
        try {
            status.put("errorCode", Integer.parseInt(resultType.toString()));
        } catch (NumberFormatException e) {
            status.put("errorCode", resultType.toString());
        }
        Object reason = value(row, "ResultDescription");
        if (reason != null) {
            status.put("failureReason", reason.toString());
        }
        return Optional.of(status);
    }

    private static JsonNode json(Object value) {
        return switch (value) {
            case Integer number -> JSON.getNodeFactory().numberNode(number);
            case Long number -> JSON.getNodeFactory().numberNode(number);
            case Double number -> {
                // JSON has no NaN or infinity; Kusto shows them as strings
                if (Double.isFinite(number)) {
                    yield JSON.getNodeFactory().numberNode(number);
                }
                yield JSON.getNodeFactory().textNode(number.toString());
            }
            case Boolean bool -> JSON.getNodeFactory().booleanNode(bool);
            case Dynamic dynamic -> parse(dynamic.json());
            case Instant instant -> JSON.getNodeFactory().textNode(instant.toString());
            case Duration duration -> JSON.getNodeFactory().textNode(duration.toString());
            default -> JSON.getNodeFactory().textNode(value.toString());
        };
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // a dynamic value is stored as valid JSON; one that is not goes as its text
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private static void putText(ObjectNode record, String field, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            record.put(field, value.toString());
        }
    }

    private static Object first(Row row, String... columns) {
        for (String column : columns) {
            Object value = value(row, column);
            if (value != null && !value.toString().isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static Object value(Row row, String column) {
        if (row.table().indexOf(column) < 0) {
            return null;
        }
        return row.get(column);
    }

    private static String decapitalize(String name) {
        if (name.isEmpty() || name.startsWith("_")) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
