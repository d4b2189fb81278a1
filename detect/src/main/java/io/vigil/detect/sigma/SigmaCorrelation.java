package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Sigma correlation rule (correlation rules specification 2.0): counts events or distinct values of
 * the referenced rules per group within a timespan, or requires that all of them occurred (temporal).
 * {@code generate} is the specification's flag: when false (the default) the referenced rules are only parts
 * of the correlation, not rules of their own.
 */
public record SigmaCorrelation(
        String title,
        Optional<String> id,
        Optional<String> name,
        Optional<String> level,
        Type type,
        List<String> rules,
        List<String> groupBy,
        Duration timespan,
        Optional<Threshold> threshold,
        boolean generate,
        Optional<String> description,
        List<String> tags) {
    public SigmaCorrelation {
        requireNonNull(title, "title is null");
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(level, "level is null");
        requireNonNull(type, "type is null");
        rules = List.copyOf(requireNonNull(rules, "rules is null"));
        groupBy = List.copyOf(requireNonNull(groupBy, "groupBy is null"));
        requireNonNull(timespan, "timespan is null");
        requireNonNull(threshold, "threshold is null");
        requireNonNull(description, "description is null");
        tags = List.copyOf(requireNonNull(tags, "tags is null"));
    }

    public enum Type {
        EVENT_COUNT,
        VALUE_COUNT,
        TEMPORAL
    }

    /** {@code condition: {gte: 10, field: x}}: a comparison ({@code >=}, …) with a number, and for value_count the field. */
    public record Threshold(String operator, long value, Optional<String> field) {
        public Threshold {
            requireNonNull(operator, "operator is null");
            requireNonNull(field, "field is null");
        }
    }
}
