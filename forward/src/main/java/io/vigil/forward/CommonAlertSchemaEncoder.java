package io.vigil.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Row;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A SecurityAlert row as Azure Monitor's common alert schema, the body Action Groups post to a webhook
 * ({@code {"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":…,"alertContext":…,
 * "customProperties":…}}}, Microsoft Learn "Common alert schema" and "Sample alert payloads"), so automation
 * written for Azure alerts takes Vigil's. The alert context is the log search alert (V2) shape, since a Vigil
 * alert comes from a KQL rule. Mapping in docs/forwarding.md.
 */
public final class CommonAlertSchemaEncoder implements Encoder {
    public static final String SCHEMA_ID = "azureMonitorCommonAlertSchema";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String encode(Row row) {
        if (!row.table().name().equals("SecurityAlert")) {
            throw new IllegalArgumentException("the common alert schema carries SecurityAlert rows, not "
                    + row.table().name());
        }
        ObjectNode payload = JSON.createObjectNode();
        payload.put("schemaId", SCHEMA_ID);
        ObjectNode data = payload.putObject("data");
        ObjectNode essentials = data.putObject("essentials");
        Optional<String> systemAlertId = Items.text(row, "SystemAlertId");
        String subscription = Items.text(row, "WorkspaceSubscriptionId")
                .map(id -> "/subscriptions/" + id)
                .orElse("");
        essentials.put(
                "alertId", subscription + "/providers/Microsoft.AlertsManagement/alerts/" + systemAlertId.orElse(""));
        essentials.put(
                "alertRule",
                Items.text(row, "AlertName")
                        .or(() -> Items.text(row, "DisplayName"))
                        .orElse(""));
        essentials.put("severity", severity(Items.text(row, "AlertSeverity")));
        essentials.put("signalType", "Log");
        boolean resolved = Items.text(row, "Status")
                .map(status -> status.equalsIgnoreCase("Resolved"))
                .orElse(false);
        essentials.put("monitorCondition", resolved ? "Resolved" : "Fired");
        essentials.put("monitoringService", "Log Alerts V2");
        ArrayNode targets = essentials.putArray("alertTargetIDs");
        Items.text(row, "ResourceId").ifPresent(targets::add);
        ArrayNode items = essentials.putArray("configurationItems");
        Items.text(row, "CompromisedEntity").ifPresent(items::add);
        essentials.put(
                "originAlertId",
                Items.text(row, "VendorOriginalId").or(() -> systemAlertId).orElse(""));
        Instant fired =
                instant(row, "StartTime").or(() -> Items.timeGenerated(row)).orElse(Instant.EPOCH);
        essentials.put("firedDateTime", fired.toString());
        if (resolved) {
            Instant end =
                    instant(row, "EndTime").or(() -> Items.timeGenerated(row)).orElse(fired);
            essentials.put("resolvedDateTime", end.toString());
        }
        essentials.put("description", Items.text(row, "Description").orElse(""));
        essentials.put("essentialsVersion", "1.0");
        essentials.put("alertContextVersion", "1.0");

        ObjectNode context = data.putObject("alertContext");
        context.putNull("properties");
        context.put("conditionType", "LogQueryCriteria");
        ObjectNode condition = context.putObject("condition");
        ObjectNode criterion = condition.putArray("allOf").addObject();
        JsonNode extended = extendedProperties(row);
        criterion.put("searchQuery", extended.path("Query").asText(""));
        criterion.put("operator", "GreaterThan");
        criterion.put("threshold", "0");
        criterion.put("timeAggregation", "Count");
        criterion.putArray("dimensions");
        condition.put("windowStartTime", instant(row, "StartTime").orElse(fired).toString());
        condition.put(
                "windowEndTime",
                instant(row, "EndTime")
                        .or(() -> Items.timeGenerated(row))
                        .orElse(fired)
                        .toString());

        ObjectNode custom = data.putObject("customProperties");
        for (String column : List.of(
                "SystemAlertId",
                "AlertType",
                "ProductName",
                "ProviderName",
                "Tactics",
                "Techniques",
                "AlertLink",
                "ConfidenceLevel",
                "Entities")) {
            Items.text(row, column).ifPresent(value -> custom.put(column, value));
        }
        return payload.toString();
    }

    /** Sentinel's severities on Azure Monitor's Sev0 (critical) … Sev4 (verbose), inverse of Vigil's parser. */
    static String severity(Optional<String> sentinel) {
        return switch (sentinel.orElse("").toLowerCase(Locale.ROOT)) {
            case "high" -> "Sev1";
            case "medium" -> "Sev2";
            case "low" -> "Sev3";
            default -> "Sev4";
        };
    }

    private static Optional<Instant> instant(Row row, String column) {
        if (row.table().indexOf(column) >= 0 && row.get(column) instanceof Instant instant) {
            return Optional.of(instant);
        }
        return Optional.empty();
    }

    private static JsonNode extendedProperties(Row row) {
        Optional<String> text = Items.text(row, "ExtendedProperties");
        if (text.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text.get());
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
