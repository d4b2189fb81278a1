package io.vigil.detect.alert;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.detect.rule.AlertDetailsOverride;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.EntityMapping;
import io.vigil.detect.rule.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one run of an analytic rule (its result rows over a window) into alerts as Sentinel raises them:
 * the trigger compares the row count with the threshold; {@code SingleAlert} makes one alert of all rows,
 * {@code AlertPerResult} one per row (at most 150 per run, Sentinel's cap); entities come from the entity
 * mappings, custom details and dynamic properties from their columns, name, description, severity and
 * tactics from {@code alertDetailsOverride} when set.
 * source: https://learn.microsoft.com/azure/sentinel/create-analytics-rules and
 * https://learn.microsoft.com/azure/sentinel/customize-alert-details
 */
public final class AlertBuilder {
    public static final int MAXIMUM_ALERTS_PER_RUN = 150;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private AlertBuilder() {}

    /** The alerts one run raises; none when the trigger does not fire. */
    public static List<Alert> build(AnalyticRule rule, ResultRows result, RuleWindow window, Instant now) {
        if (!rule.triggerOperator().fires(result.rows().size(), rule.triggerThreshold())) {
            return List.of();
        }
        List<Alert> alerts = new ArrayList<>();
        switch (rule.eventGrouping()) {
            case SINGLE_ALERT -> alerts.add(alert(rule, result, result.rows(), window, now, ""));
            case ALERT_PER_RESULT -> {
                if (result.rows().isEmpty()) {
                    // a "fewer than N rows" trigger fires on an empty result: one alert for the run
                    alerts.add(alert(rule, result, List.of(), window, now, ""));
                }
                for (List<Object> row : result.rows()) {
                    if (alerts.size() == MAXIMUM_ALERTS_PER_RUN) {
                        break;
                    }
                    alerts.add(alert(rule, result, List.of(row), window, now, AlertJson.write(row)));
                }
            }
        }
        return alerts;
    }

    private static Alert alert(
            AnalyticRule rule,
            ResultRows result,
            List<List<Object>> rows,
            RuleWindow window,
            Instant now,
            String rowIdentity) {
        Optional<List<Object>> first = rows.stream().findFirst();
        Optional<AlertDetailsOverride> override = rule.alertDetailsOverride();
        String name = override.flatMap(AlertDetailsOverride::alertDisplayNameFormat)
                .map(format -> fill(format, result, first))
                .filter(text -> !text.isBlank())
                .orElse(rule.name());
        String description = override.flatMap(AlertDetailsOverride::alertDescriptionFormat)
                .map(format -> fill(format, result, first))
                .filter(text -> !text.isBlank())
                .orElse(rule.description());
        Severity severity = override.flatMap(AlertDetailsOverride::alertSeverityColumnName)
                .flatMap(column -> first.flatMap(row -> result.text(row, column)))
                .flatMap(Severity::fromName)
                .orElse(rule.severity());
        List<String> tactics = override.flatMap(AlertDetailsOverride::alertTacticsColumnName)
                .flatMap(column -> first.flatMap(row -> result.text(row, column)))
                .map(AlertBuilder::splitList)
                .orElse(rule.tactics());
        Map<String, String> dynamic = new LinkedHashMap<>();
        override.ifPresent(details -> details.alertDynamicProperties()
                .forEach(property -> first.flatMap(row -> result.text(row, property.value()))
                        .ifPresent(value -> dynamic.put(property.alertProperty(), value))));
        Map<String, List<String>> customDetails = customDetails(rule, result, rows);
        Instant start = times(result, rows).stream().min(Instant::compareTo).orElse(window.start());
        Instant end = times(result, rows).stream().max(Instant::compareTo).orElse(window.end());
        String identity = rule.id() + "|" + window.start() + "|" + window.end() + "|" + rowIdentity;
        return new Alert(
                UUID.nameUUIDFromBytes(identity.getBytes(UTF_8)).toString(),
                rule.id(),
                rule.name(),
                name,
                description,
                severity,
                rule.kind().providerName(),
                productComponentName(rule),
                now,
                start,
                end,
                tactics,
                rule.relevantTechniques(),
                entities(rule, result, rows),
                customDetails,
                extendedProperties(rule, result, window, customDetails),
                Optional.ofNullable(dynamic.get("AlertLink")),
                Optional.ofNullable(dynamic.get("RemediationSteps")));
    }

    private static String productComponentName(AnalyticRule rule) {
        return switch (rule.kind()) {
            case SCHEDULED -> "Scheduled Alerts";
            case NRT -> "NRT Alerts";
        };
    }

    /** Every distinct entity of the rows, mapping by mapping; identifiers with empty values are left out. */
    private static List<AlertEntity> entities(AnalyticRule rule, ResultRows result, List<List<Object>> rows) {
        LinkedHashSet<AlertEntity> entities = new LinkedHashSet<>();
        for (List<Object> row : rows) {
            for (EntityMapping mapping : rule.entityMappings()) {
                Map<String, String> identifiers = new LinkedHashMap<>();
                for (EntityMapping.FieldMapping field : mapping.fieldMappings()) {
                    result.text(row, field.columnName()).ifPresent(value -> identifiers.put(field.identifier(), value));
                }
                if (!identifiers.isEmpty()) {
                    entities.add(new AlertEntity(mapping.entityType(), identifiers));
                }
            }
        }
        return List.copyOf(entities);
    }

    /** Per custom detail, the distinct values of its column over the rows (Sentinel shows them as a list). */
    private static Map<String, List<String>> customDetails(
            AnalyticRule rule, ResultRows result, List<List<Object>> rows) {
        Map<String, List<String>> details = new LinkedHashMap<>();
        rule.customDetails().forEach((key, column) -> {
            LinkedHashSet<String> values = new LinkedHashSet<>();
            for (List<Object> row : rows) {
                result.text(row, column).ifPresent(values::add);
            }
            if (!values.isEmpty()) {
                details.put(key, List.copyOf(values));
            }
        });
        return details;
    }

    /** ExtendedProperties as Sentinel fills it for scheduled alerts (its key names). */
    private static Map<String, String> extendedProperties(
            AnalyticRule rule, ResultRows result, RuleWindow window, Map<String, List<String>> customDetails) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("Query", rule.query());
        properties.put("Query Period", timespan(rule.queryPeriod()));
        properties.put("Query Start Time UTC", window.start().toString());
        properties.put("Query End Time UTC", window.end().toString());
        properties.put("Trigger Operator", rule.triggerOperator().apiName());
        properties.put("Trigger Threshold", Integer.toString(rule.triggerThreshold()));
        properties.put(
                "Search Query Results Overall Count",
                Integer.toString(result.rows().size()));
        properties.put("Analytic Rule Ids", AlertJson.write(List.of(rule.id())));
        properties.put("Analytic Rule Name", rule.name());
        properties.put("Event Grouping", rule.eventGrouping().sentinelName());
        if (!customDetails.isEmpty()) {
            properties.put("Custom Details", AlertJson.write(customDetails));
        }
        return properties;
    }

    /** KQL's timespan text ({@code 05:00:00}, {@code 1.00:00:00}), as Sentinel writes Query Period. */
    private static String timespan(Duration duration) {
        long days = duration.toDays();
        String clock = String.format(
                Locale.ROOT,
                "%02d:%02d:%02d",
                duration.toHoursPart(),
                duration.toMinutesPart(),
                duration.toSecondsPart());
        if (days == 0) {
            return clock;
        }
        return days + "." + clock;
    }

    private static List<Instant> times(ResultRows result, List<List<Object>> rows) {
        List<Instant> times = new ArrayList<>();
        for (List<Object> row : rows) {
            result.text(row, "TimeGenerated").flatMap(AlertBuilder::instant).ifPresent(times::add);
        }
        return times;
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notATime) {
            return Optional.empty();
        }
    }

    /** A format's {@code {{Column}}} placeholders replaced by the first row's values (empty when absent). */
    private static String fill(String format, ResultRows result, Optional<List<Object>> row) {
        Matcher matcher = PLACEHOLDER.matcher(format);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value =
                    row.flatMap(values -> result.text(values, matcher.group(1))).orElse("");
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** A tactics column holds one tactic, a comma-separated list, or a JSON array of them. */
    private static List<String> splitList(String text) {
        return Arrays.stream(text.replaceAll("[\\[\\]\"]", "").split(","))
                .map(String::strip)
                .filter(tactic -> !tactic.isEmpty())
                .toList();
    }
}
