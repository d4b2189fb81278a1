package io.vigil.detect.incident;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.detect.rule.Severity;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one incident after a change. Every change is written as a new {@code SecurityIncident} row,
 * as Sentinel does, so the latest row per IncidentNumber is the current state. {@code groupingKey} is what
 * alerts must share to join it (see {@link IncidentGrouper}); it travels in AdditionalData.
 */
public record Incident(
        int number,
        String name,
        String title,
        String description,
        Severity severity,
        IncidentStatus status,
        Optional<String> classification,
        Optional<String> classificationReason,
        Optional<String> classificationComment,
        Optional<String> owner,
        List<String> alertIds,
        List<String> ruleIds,
        List<String> tactics,
        List<String> labels,
        List<String> comments,
        Instant firstActivityTime,
        Instant lastActivityTime,
        Instant createdTime,
        Instant lastModifiedTime,
        Optional<Instant> closedTime,
        String groupingKey) {
    public static final String PROVIDER_NAME = "Azure Sentinel";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public Incident {
        requireNonNull(name, "name is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(status, "status is null");
        requireNonNull(classification, "classification is null");
        requireNonNull(classificationReason, "classificationReason is null");
        requireNonNull(classificationComment, "classificationComment is null");
        requireNonNull(owner, "owner is null");
        alertIds = List.copyOf(requireNonNull(alertIds, "alertIds is null"));
        ruleIds = List.copyOf(requireNonNull(ruleIds, "ruleIds is null"));
        tactics = List.copyOf(requireNonNull(tactics, "tactics is null"));
        labels = List.copyOf(requireNonNull(labels, "labels is null"));
        comments = List.copyOf(requireNonNull(comments, "comments is null"));
        requireNonNull(firstActivityTime, "firstActivityTime is null");
        requireNonNull(lastActivityTime, "lastActivityTime is null");
        requireNonNull(createdTime, "createdTime is null");
        requireNonNull(lastModifiedTime, "lastModifiedTime is null");
        requireNonNull(closedTime, "closedTime is null");
        requireNonNull(groupingKey, "groupingKey is null");
        if (number < 1) {
            throw new IllegalArgumentException("incident numbers start at 1");
        }
    }

    /**
     * A person's change: status, owner, classification (with reason and comment when closing) or a comment;
     * absent values stay as they are. Closing records the closed time; reopening keeps the classification.
     */
    public Incident update(IncidentUpdate change, Instant now) {
        IncidentStatus newStatus = change.status().orElse(status);
        Optional<Instant> closed = closedTime;
        if (newStatus == IncidentStatus.CLOSED && status != IncidentStatus.CLOSED) {
            closed = Optional.of(now);
        }
        List<String> newComments = comments;
        if (change.comment().isPresent()) {
            newComments = new ArrayList<>(comments);
            newComments.add(change.comment().get());
        }
        return new Incident(
                number,
                name,
                title,
                description,
                severity,
                newStatus,
                change.classification().or(() -> classification),
                change.classificationReason().or(() -> classificationReason),
                change.classificationComment().or(() -> classificationComment),
                change.owner().or(() -> owner),
                alertIds,
                ruleIds,
                tactics,
                labels,
                newComments,
                firstActivityTime,
                lastActivityTime,
                createdTime,
                now,
                closed,
                groupingKey);
    }

    /** The incident as a {@code SecurityIncident} row written at {@code timeGenerated} by {@code modifiedBy}. */
    public Row toRow(TableSchema securityIncident, Instant timeGenerated, String modifiedBy, String tenantId) {
        Row.Builder row = securityIncident.newRow();
        row.set("TimeGenerated", timeGenerated);
        row.set("TenantId", tenantId);
        row.set("IncidentNumber", number);
        row.set("IncidentName", name);
        row.set("ProviderIncidentId", Integer.toString(number));
        row.set("ProviderName", PROVIDER_NAME);
        row.set("Title", title);
        row.set("Description", description);
        row.set("Severity", severity.sentinelName());
        row.set("Status", status.sentinelName());
        row.set("Classification", classification.orElse(""));
        row.set("ClassificationReason", classificationReason.orElse(""));
        row.set("ClassificationComment", classificationComment.orElse(""));
        row.set("Owner", dynamic(ownerObject()));
        row.set("AlertIds", dynamic(alertIds));
        row.set("RelatedAnalyticRuleIds", dynamic(ruleIds));
        row.set("Labels", dynamic(labels));
        row.set(
                "Comments",
                dynamic(comments.stream().map(text -> Map.of("message", text)).toList()));
        row.set("BookmarkIds", new Dynamic("[]"));
        row.set("Tasks", new Dynamic("[]"));
        row.set("AdditionalData", dynamic(additionalData()));
        row.set("FirstActivityTime", firstActivityTime);
        row.set("LastActivityTime", lastActivityTime);
        row.set("CreatedTime", createdTime);
        row.set("FirstModifiedTime", createdTime);
        row.set("LastModifiedTime", lastModifiedTime);
        row.set("ClosedTime", closedTime.orElse(null));
        row.set("ModifiedBy", modifiedBy);
        row.set("IncidentUrl", "vigil://incidents/" + number);
        row.set("SourceSystem", "Azure");
        row.set("Type", "SecurityIncident");
        return row.build();
    }

    private Map<String, Object> ownerObject() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("objectId", null);
        value.put("email", owner.orElse(null));
        value.put("assignedTo", owner.orElse(null));
        value.put("userPrincipalName", owner.orElse(null));
        return value;
    }

    private Map<String, Object> additionalData() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("alertsCount", alertIds.size());
        value.put("bookmarksCount", 0);
        value.put("commentsCount", comments.size());
        value.put("alertProductNames", List.of(PROVIDER_NAME));
        value.put("tactics", tactics);
        value.put("groupingKey", groupingKey);
        return value;
    }

    private static Dynamic dynamic(Object value) {
        try {
            return new Dynamic(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("incident values are plain strings, lists and maps", e);
        }
    }
}
