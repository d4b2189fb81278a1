package io.vigil.detect.rule;

/**
 * How alerts join an open incident ({@code groupingConfiguration.matchingMethod}): when all mapped
 * entities match, always (any alert of the rule), or when the selected entities and details match.
 */
public enum MatchingMethod {
    ALL_ENTITIES("AllEntities"),
    ANY_ALERT("AnyAlert"),
    SELECTED("Selected");

    private final String sentinelName;

    MatchingMethod(String sentinelName) {
        this.sentinelName = sentinelName;
    }

    public String sentinelName() {
        return sentinelName;
    }
}
