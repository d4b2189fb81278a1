package io.vigil.detect.sigma;

import io.vigil.detect.rule.RuleDurations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** Reads Sigma YAML files (one or more documents, rules and correlation rules) into the model; never throws. */
public final class SigmaReader {
    private SigmaReader() {}

    /** Whether a document looks like Sigma (a {@code detection} or {@code correlation} with a {@code title}). */
    public static boolean looksLikeSigma(Object document) {
        return document instanceof Map<?, ?> map
                && map.containsKey("title")
                && (map.containsKey("detection") || map.containsKey("correlation"));
    }

    /**
     * Whether a file's text is Sigma: one of its YAML documents looks like Sigma. Sentinel rule YAML has a
     * {@code name} and a {@code query}, never a {@code detection} or {@code correlation} with a {@code title}.
     */
    public static boolean isSigma(String text) {
        try {
            for (Object document :
                    new Load(LoadSettings.builder().build()).loadAllFromString(text.replace("\uFEFF", ""))) {
                if (looksLikeSigma(document)) {
                    return true;
                }
            }
        } catch (YamlEngineException exception) {
            // a file that is not YAML is not Sigma; the Sentinel reader reports what is wrong with it
            return false;
        }
        return false;
    }

    public static List<SigmaDocument> read(String source, String text) {
        List<Object> documents = new ArrayList<>();
        try {
            new Load(LoadSettings.builder().build())
                    .loadAllFromString(text.replace("\uFEFF", ""))
                    .forEach(documents::add);
        } catch (YamlEngineException exception) {
            String message =
                    String.valueOf(exception.getMessage()).lines().findFirst().orElse("");
            return List.of(new SigmaDocument.Invalid(
                    source,
                    Optional.empty(),
                    new SigmaError(SigmaError.Code.INVALID_RULE, "not valid YAML: " + message)));
        }
        documents.removeIf(document -> document == null);
        List<SigmaDocument> result = new ArrayList<>();
        for (int index = 0; index < documents.size(); index++) {
            String documentSource = documents.size() == 1 ? source : source + "#" + (index + 1);
            result.add(document(documentSource, documents.get(index)));
        }
        return result;
    }

    private static SigmaDocument document(String source, Object document) {
        Optional<String> title = Optional.empty();
        try {
            if (!(document instanceof Map<?, ?> map)) {
                throw invalid("a Sigma rule is a YAML object");
            }
            title = text(map, "title");
            if (map.get("correlation") instanceof Map<?, ?> correlation) {
                return new SigmaDocument.Correlation(source, correlation(map, correlation));
            }
            return new SigmaDocument.Rule(source, rule(map));
        } catch (SigmaConversionException exception) {
            return new SigmaDocument.Invalid(source, title, exception.error());
        }
    }

    private static SigmaRule rule(Map<?, ?> map) {
        String title = text(map, "title").orElseThrow(() -> invalid("'title' is required"));
        if (!(map.get("logsource") instanceof Map<?, ?> logsource)) {
            throw invalid("'logsource' is required");
        }
        if (!(map.get("detection") instanceof Map<?, ?> detection)) {
            throw invalid("'detection' is required");
        }
        Object condition = detection.get("condition");
        String conditionText;
        if (condition instanceof String single) {
            conditionText = single;
        } else if (condition instanceof List<?> list && list.size() == 1) {
            conditionText = String.valueOf(list.get(0));
        } else {
            throw invalid("'detection.condition' must be one condition");
        }
        Map<String, SigmaRule.Search> searches = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : detection.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!name.equals("condition") && !name.equals("timeframe")) {
                searches.put(name, search(name, entry.getValue()));
            }
        }
        return new SigmaRule(
                title,
                text(map, "id"),
                text(map, "name"),
                text(map, "level"),
                new SigmaRule.Logsource(
                        text(logsource, "product"), text(logsource, "category"), text(logsource, "service")),
                searches,
                conditionText,
                text(map, "description"),
                strings(map, "tags"));
    }

    private static SigmaRule.Search search(String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            return new SigmaRule.Search.FieldMaps(List.of(fieldItems(name, map)));
        }
        if (value instanceof List<?> list
                && !list.isEmpty()
                && list.stream().allMatch(item -> item instanceof Map<?, ?>)) {
            List<List<SigmaRule.FieldItem>> alternatives = new ArrayList<>();
            for (Object item : list) {
                alternatives.add(fieldItems(name, (Map<?, ?>) item));
            }
            return new SigmaRule.Search.FieldMaps(alternatives);
        }
        if (value instanceof List<?> list
                && list.stream().noneMatch(item -> item instanceof Map<?, ?> || item instanceof List<?>)) {
            return new SigmaRule.Search.Keywords(
                    list.stream().map(SigmaValue::of).toList());
        }
        if (value instanceof String || value instanceof Number) {
            return new SigmaRule.Search.Keywords(List.of(SigmaValue.of(value)));
        }
        throw invalid("search '" + name + "' must be a map, a list of maps or a list of keywords");
    }

    private static List<SigmaRule.FieldItem> fieldItems(String search, Map<?, ?> map) {
        List<SigmaRule.FieldItem> items = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String[] parts = String.valueOf(entry.getKey()).split("\\|", -1);
            List<String> modifiers = List.of(parts).subList(1, parts.length);
            List<SigmaValue> values;
            if (entry.getValue() instanceof List<?> list) {
                if (list.stream().anyMatch(item -> item instanceof Map<?, ?> || item instanceof List<?>)) {
                    throw invalid("search '" + search + "', field '" + parts[0] + "': values must be scalars");
                }
                values = list.stream().map(SigmaValue::of).toList();
            } else if (entry.getValue() instanceof Map<?, ?>) {
                throw invalid("search '" + search + "', field '" + parts[0] + "': values must be scalars");
            } else {
                values = List.of(SigmaValue.of(entry.getValue()));
            }
            items.add(new SigmaRule.FieldItem(parts[0], modifiers, values));
        }
        return items;
    }

    private static SigmaCorrelation correlation(Map<?, ?> map, Map<?, ?> correlation) {
        String title = text(map, "title").orElseThrow(() -> invalid("'title' is required"));
        String typeName = text(correlation, "type").orElseThrow(() -> invalid("'correlation.type' is required"));
        SigmaCorrelation.Type type = switch (typeName) {
            case "event_count" -> SigmaCorrelation.Type.EVENT_COUNT;
            case "value_count" -> SigmaCorrelation.Type.VALUE_COUNT;
            case "temporal" -> SigmaCorrelation.Type.TEMPORAL;
            default ->
                throw new SigmaConversionException(
                        SigmaError.Code.UNSUPPORTED_CORRELATION,
                        "correlation type '" + typeName
                                + "' is not supported (event_count, value_count, temporal are)");
        };
        List<String> rules = strings(correlation, "rules");
        if (rules.isEmpty()) {
            throw invalid("'correlation.rules' names no rule");
        }
        List<String> groupBy = strings(correlation, "group-by");
        String timespanText =
                text(correlation, "timespan").orElseThrow(() -> invalid("'correlation.timespan' is required"));
        Duration timespan = RuleDurations.parse(timespanText)
                .orElseThrow(() ->
                        invalid("'correlation.timespan' '" + timespanText + "' is not a duration like 5m, 1h, 1d"));
        if (correlation.containsKey("aliases")) {
            throw new SigmaConversionException(
                    SigmaError.Code.UNSUPPORTED_CORRELATION, "correlation 'aliases' are not supported");
        }
        Optional<SigmaCorrelation.Threshold> threshold = Optional.empty();
        if (correlation.get("condition") instanceof Map<?, ?> condition) {
            Optional<String> field = text(condition, "field");
            for (String operator : List.of("gt", "gte", "lt", "lte", "eq")) {
                if (condition.get(operator) instanceof Integer value) {
                    threshold = Optional.of(new SigmaCorrelation.Threshold(operator, value, field));
                }
            }
            if (threshold.isEmpty()) {
                throw invalid("'correlation.condition' needs one of gt, gte, lt, lte, eq with a whole number");
            }
        } else if (type != SigmaCorrelation.Type.TEMPORAL) {
            throw invalid("'correlation.condition' is required for " + typeName);
        }
        return new SigmaCorrelation(
                title,
                text(map, "id"),
                text(map, "name"),
                text(map, "level"),
                type,
                rules,
                groupBy,
                timespan,
                threshold,
                // a top-level attribute in the specification; some rules put it in the correlation section
                Boolean.TRUE.equals(map.get("generate")) || Boolean.TRUE.equals(correlation.get("generate")),
                text(map, "description"),
                strings(map, "tags"));
    }

    private static List<String> strings(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value != null) {
            return List.of(String.valueOf(value));
        }
        return List.of();
    }

    private static Optional<String> text(Map<?, ?> map, String key) {
        return Optional.ofNullable(map.get(key)).map(String::valueOf);
    }

    private static SigmaConversionException invalid(String message) {
        return new SigmaConversionException(SigmaError.Code.INVALID_RULE, message);
    }
}
