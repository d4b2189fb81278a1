package io.vigil.detect.incident;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.alert.AlertEntity;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.IncidentConfiguration.GroupingConfiguration;
import io.vigil.detect.rule.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Groups a rule's new alerts into incidents as Sentinel's incident settings say: no incident when
 * {@code createIncident} is off; one incident per alert when grouping is off; otherwise an alert joins the
 * rule's latest incident with the same grouping key created within {@code lookbackDuration}, where the key
 * is all mapped entities ({@code AllEntities}), nothing ({@code AnyAlert}) or the selected entity types,
 * alert details and custom details ({@code Selected}). A matching incident that is closed is reopened
 * (status Active) when {@code reopenClosedIncident} is on; else the alert starts a new incident. An
 * incident holds at most 150 alerts. source: https://learn.microsoft.com/azure/sentinel/detect-threats-custom#incident-settings
 */
public final class IncidentGrouper {
    public static final int MAXIMUM_ALERTS_PER_INCIDENT = 150;

    private IncidentGrouper() {}

    /**
     * The incidents the alerts create or change, each once in its final state, in incident number order.
     *
     * @param current the latest state of the existing incidents (any rule)
     * @param nextNumber the number the next new incident gets
     */
    public static List<Incident> group(
            AnalyticRule rule, List<Alert> alerts, List<Incident> current, int nextNumber, Instant now) {
        requireNonNull(current, "current is null");
        if (!rule.incidentConfiguration().createIncident() || alerts.isEmpty()) {
            return List.of();
        }
        GroupingConfiguration grouping = rule.incidentConfiguration().groupingConfiguration();
        Map<Integer, Incident> incidents = new LinkedHashMap<>();
        for (Incident incident : current) {
            incidents.put(incident.number(), incident);
        }
        Map<Integer, Incident> changed = new LinkedHashMap<>();
        int number = nextNumber;
        for (Alert alert : alerts) {
            String key = groupingKey(rule, grouping, alert);
            Optional<Incident> match = Optional.empty();
            if (grouping.enabled()) {
                match = incidents.values().stream()
                        .filter(incident -> incident.ruleIds().contains(rule.id()))
                        .filter(incident -> incident.groupingKey().equals(key))
                        .filter(incident -> !incident.createdTime()
                                .plus(grouping.lookbackDuration())
                                .isBefore(now))
                        .filter(incident -> incident.alertIds().size() < MAXIMUM_ALERTS_PER_INCIDENT)
                        .max(Comparator.comparingInt(Incident::number))
                        .filter(incident ->
                                incident.status() != IncidentStatus.CLOSED || grouping.reopenClosedIncident());
            }
            Incident next;
            if (match.isPresent()) {
                next = withAlert(match.get(), alert, now);
            } else {
                next = newIncident(rule, alert, number++, key, now);
            }
            incidents.put(next.number(), next);
            changed.put(next.number(), next);
        }
        return List.copyOf(changed.values());
    }

    private static Incident newIncident(AnalyticRule rule, Alert alert, int number, String key, Instant now) {
        String name = UUID.nameUUIDFromBytes(("incident|" + alert.systemAlertId()).getBytes(UTF_8))
                .toString();
        return new Incident(
                number,
                name,
                alert.alertName(),
                alert.description(),
                alert.severity(),
                IncidentStatus.NEW,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(alert.systemAlertId()),
                List.of(rule.id()),
                alert.tactics(),
                List.of(),
                List.of(),
                alert.startTime(),
                alert.endTime(),
                now,
                now,
                Optional.empty(),
                key);
    }

    private static Incident withAlert(Incident incident, Alert alert, Instant now) {
        List<String> alertIds = new ArrayList<>(incident.alertIds());
        alertIds.add(alert.systemAlertId());
        LinkedHashSet<String> tactics = new LinkedHashSet<>(incident.tactics());
        tactics.addAll(alert.tactics());
        IncidentStatus status = incident.status();
        Optional<Instant> closedTime = incident.closedTime();
        if (status == IncidentStatus.CLOSED) {
            status = IncidentStatus.ACTIVE;
            closedTime = Optional.empty();
        }
        Severity severity = incident.severity();
        if (alert.severity().compareTo(severity) > 0) {
            severity = alert.severity();
        }
        return new Incident(
                incident.number(),
                incident.name(),
                incident.title(),
                incident.description(),
                severity,
                status,
                incident.classification(),
                incident.classificationReason(),
                incident.classificationComment(),
                incident.owner(),
                alertIds,
                incident.ruleIds(),
                List.copyOf(tactics),
                incident.labels(),
                incident.comments(),
                earlier(incident.firstActivityTime(), alert.startTime()),
                later(incident.lastActivityTime(), alert.endTime()),
                incident.createdTime(),
                now,
                closedTime,
                incident.groupingKey());
    }

    /** What alerts must share to be grouped: a digest of the parts the matching method compares. */
    static String groupingKey(AnalyticRule rule, GroupingConfiguration grouping, Alert alert) {
        List<String> parts = new ArrayList<>();
        parts.add(rule.id());
        switch (grouping.matchingMethod()) {
            case ALL_ENTITIES -> parts.add(entities(alert, Optional.empty()));
            case ANY_ALERT -> {
                // every alert of the rule within the lookback joins the same incident
            }
            case SELECTED -> {
                parts.add(entities(alert, Optional.of(grouping.groupByEntities())));
                for (String detail : grouping.groupByAlertDetails()) {
                    parts.add(detail + "=" + alertDetail(alert, detail));
                }
                for (String detail : grouping.groupByCustomDetails()) {
                    parts.add(detail + "=" + alert.customDetails().getOrDefault(detail, List.of()));
                }
            }
        }
        return UUID.nameUUIDFromBytes(String.join("\n", parts).getBytes(UTF_8)).toString();
    }

    private static String alertDetail(Alert alert, String detail) {
        return switch (detail) {
            case "DisplayName" -> alert.alertName();
            case "Severity" -> alert.severity().sentinelName();
            default -> "";
        };
    }

    private static String entities(Alert alert, Optional<List<String>> types) {
        TreeSet<String> entities = new TreeSet<>();
        for (AlertEntity entity : alert.entities()) {
            if (types.isEmpty() || types.get().contains(entity.type())) {
                entities.add(entity.type() + entity.identifiers());
            }
        }
        return entities.toString();
    }

    private static Instant earlier(Instant first, Instant second) {
        if (second.isBefore(first)) {
            return second;
        }
        return first;
    }

    private static Instant later(Instant first, Instant second) {
        if (second.isAfter(first)) {
            return second;
        }
        return first;
    }
}
