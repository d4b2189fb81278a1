package io.vigil.detect.rule;

import java.util.Locale;
import java.util.Optional;

/** Alert severity as Sentinel names it (AlertSeverity column, rule {@code severity}). */
public enum Severity {
    INFORMATIONAL("Informational"),
    LOW("Low"),
    MEDIUM("Medium"),
    HIGH("High");

    private final String sentinelName;

    Severity(String sentinelName) {
        this.sentinelName = sentinelName;
    }

    public String sentinelName() {
        return sentinelName;
    }

    /** Case-insensitive, as Sentinel accepts {@code medium} and {@code Medium}. */
    public static Optional<Severity> fromName(String name) {
        for (Severity severity : values()) {
            if (severity.sentinelName
                    .toLowerCase(Locale.ROOT)
                    .equals(name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(severity);
            }
        }
        return Optional.empty();
    }
}
