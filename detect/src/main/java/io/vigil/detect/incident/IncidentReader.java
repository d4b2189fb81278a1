package io.vigil.detect.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.detect.rule.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads incidents back from {@code SecurityIncident} rows as a query returns them (datetimes as ISO-8601
 * text, dynamic columns as JSON text), so the current state is what the table says: the KQL is {@link
 * #CURRENT_STATE}.
 */
public final class IncidentReader {
    /** Sentinel's documented way to the current state: the latest row per incident. */
    public static final String CURRENT_STATE =
            "SecurityIncident | summarize arg_max(TimeGenerated, *) by IncidentNumber | order by IncidentNumber asc";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IncidentReader() {}

    /** One incident from a row given as column name → value. */
    public static Incident read(Map<String, Object> row) {
        JsonNode additional = json(row.get("AdditionalData"));
        JsonNode owner = json(row.get("Owner"));
        List<String> comments = new ArrayList<>();
        for (JsonNode comment : json(row.get("Comments"))) {
            comments.add(comment.path("message").asText());
        }
        return new Incident(
                ((Number) row.get("IncidentNumber")).intValue(),
                text(row, "IncidentName").orElse(""),
                text(row, "Title").orElse(""),
                text(row, "Description").orElse(""),
                text(row, "Severity").flatMap(Severity::fromName).orElse(Severity.MEDIUM),
                text(row, "Status").flatMap(IncidentStatus::fromName).orElse(IncidentStatus.NEW),
                text(row, "Classification"),
                text(row, "ClassificationReason"),
                text(row, "ClassificationComment"),
                Optional.of(owner.path("assignedTo").asText("")).filter(name -> !name.isEmpty()),
                strings(json(row.get("AlertIds"))),
                strings(json(row.get("RelatedAnalyticRuleIds"))),
                strings(additional.path("tactics")),
                strings(json(row.get("Labels"))),
                comments,
                time(row, "FirstActivityTime"),
                time(row, "LastActivityTime"),
                time(row, "CreatedTime"),
                time(row, "LastModifiedTime"),
                text(row, "ClosedTime").map(Instant::parse),
                additional.path("groupingKey").asText(""));
    }

    private static Optional<String> text(Map<String, Object> row, String column) {
        return Optional.ofNullable(row.get(column)).map(String::valueOf).filter(text -> !text.isEmpty());
    }

    private static Instant time(Map<String, Object> row, String column) {
        return Instant.parse(String.valueOf(row.get(column)));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(value.asText());
        }
        return values;
    }

    private static JsonNode json(Object value) {
        if (value == null) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(String.valueOf(value));
        } catch (JsonProcessingException notJson) {
            return MAPPER.createObjectNode();
        }
    }
}
