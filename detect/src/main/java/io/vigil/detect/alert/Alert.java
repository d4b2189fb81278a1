package io.vigil.detect.alert;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.rule.Severity;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One alert a rule raised, with what a {@code SecurityAlert} row needs and what incident grouping reads
 * (entities, custom details). {@code systemAlertId} is derived from the rule, the window and the rows, so
 * running the same window again yields the same id and is recognised as raised already.
 */
public record Alert(
        String systemAlertId,
        String ruleId,
        String ruleName,
        String alertName,
        String description,
        Severity severity,
        String providerName,
        String productComponentName,
        Instant timeGenerated,
        Instant startTime,
        Instant endTime,
        List<String> tactics,
        List<String> techniques,
        List<AlertEntity> entities,
        Map<String, List<String>> customDetails,
        Map<String, String> extendedProperties,
        Optional<String> alertLink,
        Optional<String> remediationSteps) {
    public static final String PRODUCT_NAME = "Azure Sentinel";
    public static final String VENDOR_NAME = "Microsoft";

    public Alert {
        requireNonNull(systemAlertId, "systemAlertId is null");
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(ruleName, "ruleName is null");
        requireNonNull(alertName, "alertName is null");
        requireNonNull(description, "description is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(providerName, "providerName is null");
        requireNonNull(productComponentName, "productComponentName is null");
        requireNonNull(timeGenerated, "timeGenerated is null");
        requireNonNull(startTime, "startTime is null");
        requireNonNull(endTime, "endTime is null");
        tactics = List.copyOf(requireNonNull(tactics, "tactics is null"));
        techniques = List.copyOf(requireNonNull(techniques, "techniques is null"));
        entities = List.copyOf(requireNonNull(entities, "entities is null"));
        Map<String, List<String>> details = new LinkedHashMap<>();
        requireNonNull(customDetails, "customDetails is null")
                .forEach((key, values) -> details.put(key, List.copyOf(values)));
        customDetails = Collections.unmodifiableMap(details);
        extendedProperties = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(extendedProperties, "extendedProperties is null")));
        requireNonNull(alertLink, "alertLink is null");
        requireNonNull(remediationSteps, "remediationSteps is null");
    }

    /** The alert as a row of {@code SecurityAlert} (the catalog's columns). */
    public Row toRow(TableSchema securityAlert) {
        Row.Builder row = securityAlert.newRow();
        row.set("TimeGenerated", timeGenerated);
        row.set("SystemAlertId", systemAlertId);
        row.set("AlertName", alertName);
        row.set("DisplayName", alertName);
        row.set("AlertSeverity", severity.sentinelName());
        row.set("Description", description);
        row.set("ProviderName", providerName);
        row.set("VendorName", VENDOR_NAME);
        row.set("ProductName", PRODUCT_NAME);
        row.set("ProductComponentName", productComponentName);
        // Sentinel's AlertType for scheduled and NRT alerts: the workspace and the rule id; Vigil has one workspace
        row.set("AlertType", ruleId);
        row.set("VendorOriginalId", systemAlertId);
        row.set("StartTime", startTime);
        row.set("EndTime", endTime);
        row.set("ProcessingEndTime", timeGenerated);
        row.set("Status", "New");
        row.set("IsIncident", false);
        row.set("ConfidenceLevel", "Unknown");
        row.set("Tactics", String.join(", ", tactics));
        row.set("Techniques", AlertJson.write(techniques));
        row.set("Entities", AlertJson.entities(entities));
        row.set("ExtendedProperties", AlertJson.write(extendedProperties));
        row.set("CompromisedEntity", compromisedEntity().orElse(null));
        row.set("AlertLink", alertLink.orElse(""));
        row.set("RemediationSteps", remediationSteps.map(AlertJson::write).orElse(null));
        row.set("Type", "SecurityAlert");
        return row.build();
    }

    /** The first Account's name or the first Host's, as Sentinel fills CompromisedEntity. */
    public Optional<String> compromisedEntity() {
        for (String type : List.of("Account", "Host")) {
            for (AlertEntity entity : entities) {
                if (entity.type().equals(type) && !entity.identifiers().isEmpty()) {
                    return Optional.of(entity.identifiers().values().iterator().next());
                }
            }
        }
        return Optional.empty();
    }
}
