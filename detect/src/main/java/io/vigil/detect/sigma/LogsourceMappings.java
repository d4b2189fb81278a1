package io.vigil.detect.sigma;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The built-in logsource mappings, declared as data in {@code logsources.yaml} beside this class. */
public final class LogsourceMappings {
    private final List<LogsourceMapping> mappings;

    private LogsourceMappings(List<LogsourceMapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    public static LogsourceMappings builtIn() {
        try (InputStream input = LogsourceMappings.class.getResourceAsStream("logsources.yaml")) {
            if (input == null) {
                throw new IllegalStateException("logsources.yaml is missing from the detect module");
            }
            return parse(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    public List<LogsourceMapping> mappings() {
        return mappings;
    }

    /** The most specific mapping for the logsource. */
    public Optional<LogsourceMapping> find(SigmaRule.Logsource logsource) {
        return mappings.stream()
                .filter(mapping -> mapping.matches(logsource))
                .max(Comparator.comparingInt(LogsourceMapping::specificity));
    }

    static LogsourceMappings parse(String yaml) {
        Map<?, ?> root = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        List<LogsourceMapping> mappings = new ArrayList<>();
        for (Object element : (List<?>) root.get("logsources")) {
            Map<?, ?> entry = (Map<?, ?>) element;
            Map<String, LogsourceMapping.FieldTarget> fields = new LinkedHashMap<>();
            if (entry.get("fields") instanceof Map<?, ?> map) {
                map.forEach((field, target) -> fields.put(String.valueOf(field), target(field, target)));
            }
            Map<String, String> unmappable = new LinkedHashMap<>();
            if (entry.get("unmappable") instanceof Map<?, ?> map) {
                map.forEach((field, reason) -> unmappable.put(String.valueOf(field), String.valueOf(reason)));
            }
            List<String> objectColumns = new ArrayList<>();
            if (entry.get("objectColumns") instanceof List<?> list) {
                list.forEach(column -> objectColumns.add(String.valueOf(column)));
            }
            mappings.add(new LogsourceMapping(
                    text(entry, "name").orElseThrow(),
                    text(entry, "product"),
                    text(entry, "category"),
                    text(entry, "service"),
                    text(entry, "table").orElseThrow(),
                    text(entry, "filter"),
                    fields,
                    unmappable,
                    objectColumns,
                    text(entry, "eventData"),
                    text(entry, "keyValues"),
                    text(entry, "keywords")));
        }
        return new LogsourceMappings(mappings);
    }

    private static LogsourceMapping.FieldTarget target(Object field, Object target) {
        if (target instanceof String column) {
            return new LogsourceMapping.FieldTarget.ColumnTarget(column, false);
        }
        if (target instanceof Map<?, ?> map && map.get("expression") instanceof String expression) {
            return new LogsourceMapping.FieldTarget.ExpressionTarget(expression);
        }
        if (target instanceof Map<?, ?> map && map.get("column") instanceof String column) {
            return new LogsourceMapping.FieldTarget.ColumnTarget(column, Boolean.TRUE.equals(map.get("term")));
        }
        throw new IllegalStateException(
                "logsources.yaml: field " + field + " maps to neither a column nor an expression");
    }

    private static Optional<String> text(Map<?, ?> entry, String key) {
        return Optional.ofNullable(entry.get(key)).map(String::valueOf);
    }
}
