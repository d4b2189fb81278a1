package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.StandardErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a query runs with besides its text: the instant {@code now()} and {@code ago()} mean (one value for
 * the whole run, as in KQL) and the optional time window applied to every table with a {@code TimeGenerated}
 * column, as the query API's {@code timespan} is.
 */
public record QueryParameters(Instant now, Optional<TimeWindow> window) {
    public QueryParameters {
        requireNonNull(now, "now is null");
        requireNonNull(window, "window is null");
    }

    /** No window: every row of every table. */
    public static QueryParameters at(Instant now) {
        return new QueryParameters(now, Optional.empty());
    }

    /**
     * The parameters of a query API request: {@code now} and the request's timespan text (ISO 8601 duration
     * ending now or an interval, see {@link Timespans}); blank or absent means no window.
     *
     * @throws QueryException INVALID_ARGUMENT when the timespan does not parse
     */
    public static QueryParameters of(Instant now, Optional<String> timespan) {
        requireNonNull(timespan, "timespan is null");
        if (timespan.isEmpty() || timespan.get().isBlank()) {
            return at(now);
        }
        Optional<TimeWindow> window = Timespans.parse(timespan.get(), now);
        if (window.isEmpty()) {
            throw new QueryException(
                    StandardErrorCode.INVALID_ARGUMENT,
                    "Invalid timespan '" + timespan.get() + "': expected an ISO 8601 duration or interval",
                    List.of());
        }
        return new QueryParameters(now, window);
    }

    /** An inclusive range of {@code TimeGenerated}. */
    public record TimeWindow(Instant start, Instant end) {
        public TimeWindow {
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
        }
    }
}
