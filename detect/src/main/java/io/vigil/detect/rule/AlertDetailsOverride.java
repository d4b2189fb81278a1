package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * {@code alertDetailsOverride}: alert name and description templates with {@code {{Column}}} placeholders
 * (Sentinel allows three per template), and columns that carry each alert's tactics and severity.
 * source: https://learn.microsoft.com/azure/sentinel/customize-alert-details
 */
public record AlertDetailsOverride(
        Optional<String> alertDisplayNameFormat,
        Optional<String> alertDescriptionFormat,
        Optional<String> alertTacticsColumnName,
        Optional<String> alertSeverityColumnName,
        List<DynamicProperty> alertDynamicProperties) {
    public AlertDetailsOverride {
        requireNonNull(alertDisplayNameFormat, "alertDisplayNameFormat is null");
        requireNonNull(alertDescriptionFormat, "alertDescriptionFormat is null");
        requireNonNull(alertTacticsColumnName, "alertTacticsColumnName is null");
        requireNonNull(alertSeverityColumnName, "alertSeverityColumnName is null");
        alertDynamicProperties = List.copyOf(requireNonNull(alertDynamicProperties, "alertDynamicProperties is null"));
    }

    /** An alert property (AlertLink, ProductName, RemediationSteps, …) read from a result column. */
    public record DynamicProperty(String alertProperty, String value) {
        public DynamicProperty {
            requireNonNull(alertProperty, "alertProperty is null");
            requireNonNull(value, "value is null");
        }
    }
}
