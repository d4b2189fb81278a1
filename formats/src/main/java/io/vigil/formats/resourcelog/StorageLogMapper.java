package io.vigil.formats.resourcelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureResourceId;
import io.vigil.formats.common.AzureRow;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure Storage resource logs (categories StorageRead, StorageWrite, StorageDelete) to the
 * resource-specific table of the service named in the resource ID: blobServices → StorageBlobLogs,
 * fileServices → StorageFileLogs, queueServices → StorageQueueLogs, tableServices → StorageTableLogs.
 * Field names follow "Azure Blob Storage monitoring data reference", section "Resource logs"
 * (learn.microsoft.com/azure/storage/blobs/monitor-blob-storage-reference); most properties become the
 * column of the same name capitalized.
 */
final class StorageLogMapper {
    private StorageLogMapper() {}

    /** The table for a storage record, or empty when the record is not a storage data-plane log. */
    static Optional<String> tableFor(String category, String resourceId) {
        if (category == null || resourceId == null) {
            return Optional.empty();
        }
        String lowerCategory = category.toLowerCase(Locale.ROOT);
        if (!lowerCategory.equals("storageread")
                && !lowerCategory.equals("storagewrite")
                && !lowerCategory.equals("storagedelete")) {
            return Optional.empty();
        }
        String id = resourceId.toLowerCase(Locale.ROOT);
        if (id.contains("/blobservices/")) {
            return Optional.of("StorageBlobLogs");
        }
        if (id.contains("/fileservices/")) {
            return Optional.of("StorageFileLogs");
        }
        if (id.contains("/queueservices/")) {
            return Optional.of("StorageQueueLogs");
        }
        if (id.contains("/tableservices/")) {
            return Optional.of("StorageTableLogs");
        }
        return Optional.empty();
    }

    static void map(ObjectNode record, Instant time, AzureRow row) {
        row.set("TimeGenerated", time);
        Iterator<Map.Entry<String, JsonNode>> fields = record.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            switch (name) {
                case "time" -> {}
                case "resourceId" -> {
                    String id = AzureRow.text(value);
                    if (id != null) {
                        AzureResourceId parts = AzureResourceId.parse(id);
                        row.set("_ResourceId", parts.normalized());
                        if (!parts.subscriptionId().isEmpty()) {
                            row.set("_SubscriptionId", parts.subscriptionId().toLowerCase(Locale.ROOT));
                        }
                    }
                }
                case "identity" -> identity(value, row);
                case "properties" -> properties(value, row);
                default -> column(name, value, row);
            }
        }
    }

    private static void identity(JsonNode identity, AzureRow row) {
        Iterator<Map.Entry<String, JsonNode>> fields = identity.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "type" -> row.json("AuthenticationType", value);
                case "tokenHash" -> row.json("AuthenticationHash", value);
                case "authorization" -> row.json("AuthorizationDetails", value);
                case "requester" -> {
                    Iterator<Map.Entry<String, JsonNode>> requester = value.fields();
                    while (requester.hasNext()) {
                        Map.Entry<String, JsonNode> part = requester.next();
                        column("requester" + ColumnNames.capitalize(part.getKey()), part.getValue(), row);
                    }
                }
                default -> row.extra("identity." + field.getKey(), value);
            }
        }
    }

    private static void properties(JsonNode properties, AzureRow row) {
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("serverMd5")) {
                // the log calls the response body's hash serverMd5, the table ResponseMd5
                row.json("ResponseMd5", field.getValue(), "properties." + name);
                continue;
            }
            column(name, field.getValue(), row);
        }
    }

    private static void column(String name, JsonNode value, AzureRow row) {
        String column = ColumnNames.capitalize(name);
        if (row.has(column)) {
            row.json(column, value, name);
        } else {
            row.extra(name, value);
        }
    }

    /** Capitalization shared by the storage column names. */
    private static final class ColumnNames {
        static String capitalize(String name) {
            if (name.isEmpty()) {
                return name;
            }
            return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        }
    }
}
