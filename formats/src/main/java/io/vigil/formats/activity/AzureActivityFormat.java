package io.vigil.formats.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureCategories;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureResourceId;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.Dynamic;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Azure activity log records to {@code AzureActivity}: the diagnostic-settings shape (Event Hubs and
 * storage {@code PT1H.json}, with or without the {@code {"records":[…]}} envelope) and the REST
 * {@code eventdata} shape ({@code {"value":[…]}} of the Activity Log REST API). Column mapping follows
 * "AzureActivity" (learn.microsoft.com/azure/azure-monitor/reference/tables/azureactivity) and the
 * mapping table in "Azure Monitor activity log event schema", section "Schema from storage account and
 * event hubs" (learn.microsoft.com/azure/azure-monitor/platform/activity-log-schema).
 */
public final class AzureActivityFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "azure_activity";
    public static final String TABLE = "AzureActivity";

    // the claims Azure derives Caller from when a record has no caller field: the user's UPN or name,
    // the alert rule's service principal name, then the object ID (service principals)
    private static final List<String> CALLER_CLAIMS = List.of(
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn",
            "http://schemas.microsoft.com/identity/claims/objectidentifier");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Azure activity log records (diagnostic-settings export or REST eventdata) to AzureActivity";
    }

    @Override
    public List<String> outputTables() {
        return List.of(TABLE);
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.contains("\"eventDataId\"") || text.contains("\"eventTimestamp\"")) {
            return 90;
        }
        return AzureCategories.score(head, AzureCategories.Kind.ACTIVITY);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        AzureRow row = new AzureRow(context.catalog().require(TABLE));
        boolean eventData =
                record.has("eventTimestamp") || record.path("operationName").isObject();
        Instant time;
        if (eventData) {
            time = Timestamps.parse(AzureRow.text(record.get("eventTimestamp")));
        } else {
            time = Timestamps.parse(AzureRow.text(record.get("time")));
        }
        if (time == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.BAD_TIMESTAMP, "record has no valid time", record));
            return;
        }
        row.set("TimeGenerated", time);
        if (eventData) {
            mapEventData(record, row);
        } else {
            mapDiagnosticRecord(record, row);
        }
        row.set("SourceSystem", "Azure");
        finish(row, record);
        if (row.wrongTypes() > 0) {
            sink.repaired("wrong_type_kept_raw");
        }
        sink.row(row.build());
    }

    /** The diagnostic-settings shape: flat fields, identity.{authorization,claims}. */
    private static void mapDiagnosticRecord(ObjectNode record, AzureRow row) {
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "time" -> {}
                case "resourceId" -> resourceId(AzureRow.text(value), row);
                case "operationName" -> {
                    row.json("OperationNameValue", value);
                    row.json("OperationName", value);
                }
                case "category" -> {
                    row.json("CategoryValue", value);
                    row.json("Category", value);
                }
                case "resultType" -> {
                    row.json("ActivityStatusValue", value);
                    row.json("ActivityStatus", value);
                }
                case "resultSignature" -> {
                    row.json("ActivitySubstatusValue", value);
                    row.json("ActivitySubstatus", value);
                }
                case "callerIpAddress" -> row.json("CallerIpAddress", value);
                case "correlationId" -> row.json("CorrelationId", value);
                case "caller" -> row.json("Caller", value);
                case "level" -> row.json("Level", value);
                case "eventDataId" -> row.json("EventDataId", value);
                case "operationId" -> row.json("OperationId", value);
                case "httpRequest" -> row.json("HTTPRequest", value);
                case "identity" -> identity(value, row);
                case "properties" -> properties(value, row);
                default -> row.extra(field.getKey(), value);
            }
        }
        if (!row.isSet("Caller")) {
            row.set("Caller", callerFromClaims(record.path("identity").path("claims")));
        }
    }

    /** The REST eventdata shape: localizable {value, localizedValue} pairs, top-level claims. */
    private static void mapEventData(ObjectNode record, AzureRow row) {
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "eventTimestamp" -> {}
                case "submissionTimestamp" -> row.json("EventSubmissionTimestamp", value);
                case "authorization" -> {
                    row.json("Authorization", value);
                    row.json("Authorization_d", value);
                }
                case "claims" -> {
                    row.json("Claims", value);
                    row.json("Claims_d", value);
                }
                case "caller" -> row.json("Caller", value);
                case "correlationId" -> row.json("CorrelationId", value);
                case "eventDataId" -> row.json("EventDataId", value);
                case "operationId" -> row.json("OperationId", value);
                case "level" -> row.json("Level", value);
                case "subscriptionId" -> {
                    row.json("SubscriptionId", value);
                    row.json("_SubscriptionId", value);
                }
                case "resourceGroupName" -> row.json("ResourceGroup", value);
                case "resourceId" -> resourceId(AzureRow.text(value), row);
                case "operationName" -> localizable(value, "OperationNameValue", "OperationName", row);
                case "category" -> localizable(value, "CategoryValue", "Category", row);
                case "status" -> localizable(value, "ActivityStatusValue", "ActivityStatus", row);
                case "subStatus" -> localizable(value, "ActivitySubstatusValue", "ActivitySubstatus", row);
                case "resourceProviderName" -> localizable(value, "ResourceProviderValue", "ResourceProvider", row);
                case "httpRequest" -> {
                    row.json("HTTPRequest", value);
                    row.json("CallerIpAddress", value.get("clientIpAddress"));
                }
                case "properties" -> properties(value, row);
                default -> row.extra(field.getKey(), value);
            }
        }
        if (!row.isSet("Caller")) {
            row.set("Caller", callerFromClaims(record.path("claims")));
        }
    }

    private static void localizable(JsonNode value, String valueColumn, String localizedColumn, AzureRow row) {
        if (!value.isObject()) {
            row.json(valueColumn, value);
            row.json(localizedColumn, value);
            return;
        }
        row.json(valueColumn, value.get("value"));
        JsonNode localized = value.get("localizedValue");
        if (AzureRow.text(localized) == null) {
            localized = value.get("value");
        }
        row.json(localizedColumn, localized);
    }

    private static void identity(JsonNode identity, AzureRow row) {
        if (!identity.isObject()) {
            row.extra("identity", identity);
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = identity.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            switch (field.getKey()) {
                case "authorization" -> {
                    row.json("Authorization", field.getValue());
                    row.json("Authorization_d", field.getValue());
                }
                case "claims" -> {
                    row.json("Claims", field.getValue());
                    row.json("Claims_d", field.getValue());
                }
                default -> row.extra("identity_" + field.getKey(), field.getValue());
            }
        }
    }

    private static void properties(JsonNode properties, AzureRow row) {
        row.json("Properties", properties);
        if (properties.isObject()) {
            row.json("Hierarchy", properties.get("hierarchy"));
            if (!row.isSet("EventDataId")) {
                row.json("EventDataId", properties.get("eventDataId"));
            }
        }
    }

    /**
     * Resource ID parts as AzureActivity stores them: parts in the case the record used (activity
     * exports write the ID upper-cased), {@code _ResourceId} lower-cased.
     */
    private static void resourceId(String id, AzureRow row) {
        if (id == null) {
            return;
        }
        AzureResourceId parts = AzureResourceId.parse(id);
        row.set("ResourceId", id);
        row.set("_ResourceId", parts.normalized());
        setIfAbsent(row, "SubscriptionId", parts.subscriptionId());
        setIfAbsent(row, "_SubscriptionId", parts.subscriptionId());
        setIfAbsent(row, "ResourceGroup", parts.resourceGroup());
        setIfAbsent(row, "ResourceProviderValue", parts.provider());
        setIfAbsent(row, "ResourceProvider", parts.provider());
        setIfAbsent(row, "Resource", parts.name());
    }

    private static void setIfAbsent(AzureRow row, String column, String value) {
        if (!value.isEmpty() && !row.isSet(column)) {
            row.set(column, value);
        }
    }

    private static String callerFromClaims(JsonNode claims) {
        for (String claim : CALLER_CLAIMS) {
            String value = AzureRow.text(claims.get(claim));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Properties_d holds the properties plus every field that has no column, so nothing is lost. */
    private static void finish(AzureRow row, ObjectNode record) {
        ObjectNode bag = row.extras().deepCopy();
        JsonNode properties = record.get("properties");
        if (properties instanceof ObjectNode object) {
            ObjectNode merged = object.deepCopy();
            bag.fields().forEachRemaining(entry -> {
                if (!merged.has(entry.getKey())) {
                    merged.set(entry.getKey(), entry.getValue());
                }
            });
            bag = merged;
        } else if (properties != null && !properties.isNull()) {
            bag.set("properties", properties);
        }
        if (!bag.isEmpty()) {
            row.set("Properties_d", new Dynamic(bag.toString()));
        }
    }
}
