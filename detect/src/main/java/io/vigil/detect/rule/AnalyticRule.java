package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Sentinel analytic rule that runs a query (Scheduled or NRT), read from the rule YAML of the
 * Azure-Sentinel repository or from an ARM template export. The constructor enforces Sentinel's limits
 * (https://learn.microsoft.com/azure/sentinel/create-analytics-rules): frequency and period five minutes
 * to fourteen days, threshold 0 to 10,000, suppression five minutes to a day, at most ten entity
 * mappings and twenty custom details. NRT rules have a fixed one-minute schedule and fire on any row.
 */
public record AnalyticRule(
        String id,
        String name,
        String description,
        Severity severity,
        RuleKind kind,
        String query,
        Duration queryFrequency,
        Duration queryPeriod,
        TriggerOperator triggerOperator,
        int triggerThreshold,
        List<String> tactics,
        List<String> relevantTechniques,
        List<EntityMapping> entityMappings,
        Map<String, String> customDetails,
        Optional<AlertDetailsOverride> alertDetailsOverride,
        EventGrouping eventGrouping,
        IncidentConfiguration incidentConfiguration,
        boolean suppressionEnabled,
        Duration suppressionDuration,
        List<DataConnector> requiredDataConnectors,
        Optional<String> version,
        Optional<String> status,
        boolean enabled) {
    public static final Duration MINIMUM_INTERVAL = Duration.ofMinutes(5);
    public static final Duration MAXIMUM_INTERVAL = Duration.ofDays(14);
    public static final Duration NRT_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MINIMUM_SUPPRESSION = Duration.ofMinutes(5);
    public static final Duration MAXIMUM_SUPPRESSION = Duration.ofHours(24);
    public static final Duration DEFAULT_SUPPRESSION = Duration.ofHours(5);
    public static final int MAXIMUM_THRESHOLD = 10_000;
    public static final int MAXIMUM_ENTITY_MAPPINGS = 10;
    public static final int MAXIMUM_CUSTOM_DETAILS = 20;

    public AnalyticRule {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(query, "query is null");
        requireNonNull(queryFrequency, "queryFrequency is null");
        requireNonNull(queryPeriod, "queryPeriod is null");
        requireNonNull(triggerOperator, "triggerOperator is null");
        tactics = List.copyOf(requireNonNull(tactics, "tactics is null"));
        relevantTechniques = List.copyOf(requireNonNull(relevantTechniques, "relevantTechniques is null"));
        entityMappings = List.copyOf(requireNonNull(entityMappings, "entityMappings is null"));
        // ordered: custom details reach ExtendedProperties in the rule's order
        customDetails = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(customDetails, "customDetails is null")));
        requireNonNull(alertDetailsOverride, "alertDetailsOverride is null");
        requireNonNull(eventGrouping, "eventGrouping is null");
        requireNonNull(incidentConfiguration, "incidentConfiguration is null");
        requireNonNull(suppressionDuration, "suppressionDuration is null");
        requiredDataConnectors = List.copyOf(requireNonNull(requiredDataConnectors, "requiredDataConnectors is null"));
        requireNonNull(version, "version is null");
        requireNonNull(status, "status is null");

        InvalidRuleException.check(!id.isBlank(), RuleDiagnostic.Code.MISSING_FIELD, "id", "a rule needs an id");
        InvalidRuleException.check(!name.isBlank(), RuleDiagnostic.Code.MISSING_FIELD, "name", "a rule needs a name");
        InvalidRuleException.check(
                !query.isBlank(), RuleDiagnostic.Code.MISSING_FIELD, "query", "a rule needs a query");
        switch (kind) {
            case SCHEDULED -> {
                InvalidRuleException.within(queryFrequency, MINIMUM_INTERVAL, MAXIMUM_INTERVAL, "queryFrequency");
                InvalidRuleException.within(queryPeriod, MINIMUM_INTERVAL, MAXIMUM_INTERVAL, "queryPeriod");
            }
            case NRT ->
                InvalidRuleException.check(
                        queryFrequency.equals(NRT_INTERVAL)
                                && queryPeriod.equals(NRT_INTERVAL)
                                && triggerOperator == TriggerOperator.GREATER_THAN
                                && triggerThreshold == 0,
                        RuleDiagnostic.Code.INVALID_VALUE,
                        "kind",
                        "an NRT rule runs every minute and fires on any result row");
        }
        InvalidRuleException.check(
                triggerThreshold >= 0 && triggerThreshold <= MAXIMUM_THRESHOLD,
                RuleDiagnostic.Code.OUT_OF_RANGE,
                "triggerThreshold",
                triggerThreshold + " is outside 0 to " + MAXIMUM_THRESHOLD + " (Sentinel's limit)");
        InvalidRuleException.check(
                entityMappings.size() <= MAXIMUM_ENTITY_MAPPINGS,
                RuleDiagnostic.Code.OUT_OF_RANGE,
                "entityMappings",
                entityMappings.size() + " entities; Sentinel maps at most " + MAXIMUM_ENTITY_MAPPINGS);
        InvalidRuleException.check(
                customDetails.size() <= MAXIMUM_CUSTOM_DETAILS,
                RuleDiagnostic.Code.OUT_OF_RANGE,
                "customDetails",
                customDetails.size() + " details; Sentinel takes at most " + MAXIMUM_CUSTOM_DETAILS);
        InvalidRuleException.within(
                suppressionDuration, MINIMUM_SUPPRESSION, MAXIMUM_SUPPRESSION, "suppressionDuration");
    }
}
