package io.vigil.detect.incident;

import java.util.Optional;

/** An incident's Status, as Sentinel names it. */
public enum IncidentStatus {
    NEW("New"),
    ACTIVE("Active"),
    CLOSED("Closed");

    private final String sentinelName;

    IncidentStatus(String sentinelName) {
        this.sentinelName = sentinelName;
    }

    public String sentinelName() {
        return sentinelName;
    }

    public static Optional<IncidentStatus> fromName(String name) {
        for (IncidentStatus status : values()) {
            if (status.sentinelName.equalsIgnoreCase(name.strip())) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
