package io.vigil.detect.rule;

/** Sentinel's analytic rule kinds that run a query: on a schedule, or near-real-time. */
public enum RuleKind {
    SCHEDULED("Scheduled", "ASI Scheduled Alerts"),
    NRT("NRT", "ASI NRT Alerts");

    private final String sentinelName;
    private final String providerName;

    RuleKind(String sentinelName, String providerName) {
        this.sentinelName = sentinelName;
        this.providerName = providerName;
    }

    public String sentinelName() {
        return sentinelName;
    }

    /** The {@code ProviderName} of the alerts this kind raises, as Sentinel writes it. */
    public String providerName() {
        return providerName;
    }
}
