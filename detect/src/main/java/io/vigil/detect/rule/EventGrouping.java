package io.vigil.detect.rule;

/**
 * {@code eventGroupingSettings.aggregationKind}: one alert for all result rows, or one alert per row
 * (Sentinel caps the latter at 150 alerts per run).
 */
public enum EventGrouping {
    SINGLE_ALERT("SingleAlert"),
    ALERT_PER_RESULT("AlertPerResult");

    private final String sentinelName;

    EventGrouping(String sentinelName) {
        this.sentinelName = sentinelName;
    }

    public String sentinelName() {
        return sentinelName;
    }
}
