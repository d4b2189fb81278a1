package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * {@code incidentConfiguration}: whether alerts create incidents and how alerts are grouped into one.
 * Defaults are the portal's: incidents on, grouping off, a five-hour lookback, all entities.
 * source: https://learn.microsoft.com/rest/api/securityinsights/alert-rules/create-or-update
 */
public record IncidentConfiguration(boolean createIncident, GroupingConfiguration groupingConfiguration) {
    public static final IncidentConfiguration DEFAULT = new IncidentConfiguration(true, GroupingConfiguration.DEFAULT);

    public IncidentConfiguration {
        requireNonNull(groupingConfiguration, "groupingConfiguration is null");
    }

    /** Grouping of alerts into incidents; the lookback is five minutes to seven days in Sentinel. */
    public record GroupingConfiguration(
            boolean enabled,
            boolean reopenClosedIncident,
            Duration lookbackDuration,
            MatchingMethod matchingMethod,
            List<String> groupByEntities,
            List<String> groupByAlertDetails,
            List<String> groupByCustomDetails) {
        public static final Duration MINIMUM_LOOKBACK = Duration.ofMinutes(5);
        public static final Duration MAXIMUM_LOOKBACK = Duration.ofDays(7);
        public static final GroupingConfiguration DEFAULT = new GroupingConfiguration(
                false, false, Duration.ofHours(5), MatchingMethod.ALL_ENTITIES, List.of(), List.of(), List.of());

        public GroupingConfiguration {
            requireNonNull(lookbackDuration, "lookbackDuration is null");
            requireNonNull(matchingMethod, "matchingMethod is null");
            groupByEntities = List.copyOf(requireNonNull(groupByEntities, "groupByEntities is null"));
            groupByAlertDetails = List.copyOf(requireNonNull(groupByAlertDetails, "groupByAlertDetails is null"));
            groupByCustomDetails = List.copyOf(requireNonNull(groupByCustomDetails, "groupByCustomDetails is null"));
            InvalidRuleException.within(
                    lookbackDuration,
                    MINIMUM_LOOKBACK,
                    MAXIMUM_LOOKBACK,
                    "incidentConfiguration.groupingConfiguration.lookbackDuration");
            for (String entityType : groupByEntities) {
                InvalidRuleException.check(
                        EntityMapping.ENTITY_TYPES.contains(entityType),
                        RuleDiagnostic.Code.INVALID_VALUE,
                        "incidentConfiguration.groupingConfiguration.groupByEntities",
                        "unknown entity type '" + entityType + "'");
            }
        }
    }
}
