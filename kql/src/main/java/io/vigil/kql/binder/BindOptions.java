package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What a query is bound with: the instant {@code now()} and {@code ago()} refer to (one value for the
 * whole query, as in KQL) and the optional time range of the request, applied to every table with a
 * {@code TimeGenerated} column.
 */
public record BindOptions(Instant now, Optional<TimeRange> timeRange) {
    public BindOptions {
        requireNonNull(now, "now is null");
        requireNonNull(timeRange, "timeRange is null");
    }

    /** An inclusive range of TimeGenerated. */
    public record TimeRange(Instant start, Instant end) {
        public TimeRange {
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
        }
    }
}
