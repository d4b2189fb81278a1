package io.vigil.detect.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The time range one run of a rule covers by {@code TimeGenerated}, start inclusive, end exclusive; a
 * scheduled run covers {@code queryPeriod} ending at its (aligned) run time.
 */
public record RuleWindow(Instant start, Instant end) {
    public RuleWindow {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a window ends after it starts: " + start + " to " + end);
        }
    }
}
