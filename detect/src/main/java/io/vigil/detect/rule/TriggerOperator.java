package io.vigil.detect.rule;

import java.util.Optional;

/**
 * How the number of result rows is compared with {@code triggerThreshold}: the YAML spells it {@code gt},
 * {@code lt}, {@code eq}, {@code ne}, the ARM template and REST API {@code GreaterThan}, {@code LessThan},
 * {@code Equal}, {@code NotEqual}.
 */
public enum TriggerOperator {
    GREATER_THAN("gt", "GreaterThan"),
    LESS_THAN("lt", "LessThan"),
    EQUAL("eq", "Equal"),
    NOT_EQUAL("ne", "NotEqual");

    private final String yamlName;
    private final String apiName;

    TriggerOperator(String yamlName, String apiName) {
        this.yamlName = yamlName;
        this.apiName = apiName;
    }

    public String yamlName() {
        return yamlName;
    }

    public String apiName() {
        return apiName;
    }

    public boolean fires(long resultCount, int threshold) {
        return switch (this) {
            case GREATER_THAN -> resultCount > threshold;
            case LESS_THAN -> resultCount < threshold;
            case EQUAL -> resultCount == threshold;
            case NOT_EQUAL -> resultCount != threshold;
        };
    }

    public static Optional<TriggerOperator> fromName(String name) {
        String value = name.strip();
        for (TriggerOperator operator : values()) {
            if (operator.yamlName.equalsIgnoreCase(value) || operator.apiName.equalsIgnoreCase(value)) {
                return Optional.of(operator);
            }
        }
        return Optional.empty();
    }
}
