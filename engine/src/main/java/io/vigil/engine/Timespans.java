package io.vigil.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code timespan} of a query request: an ISO 8601 duration ending now ({@code PT1H}), or an
 * interval {@code start/end}, {@code start/duration} or {@code duration/end}, as the Log Analytics
 * query API takes it.
 */
public final class Timespans {
    /** Bounds of what a datetime can hold; the SDK's {@code QueryTimeInterval.ALL} goes far beyond. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Timespans() {}

    /** The window of a timespan text at {@code now}, clamped to what a datetime holds; empty when it does not parse. */
    public static Optional<QueryParameters.TimeWindow> parse(String text, Instant now) {
        return parseUnclamped(text, now)
                .map(range -> new QueryParameters.TimeWindow(clamp(range.start()), clamp(range.end())));
    }

    private static Instant clamp(Instant instant) {
        if (instant.isBefore(EARLIEST)) {
            return EARLIEST;
        }
        if (instant.isAfter(LATEST)) {
            return LATEST;
        }
        return instant;
    }

    private static Optional<QueryParameters.TimeWindow> parseUnclamped(String text, Instant now) {
        String value = text.strip();
        try {
            int slash = value.indexOf('/');
            if (slash < 0) {
                return Optional.of(new QueryParameters.TimeWindow(now.minus(duration(value)), now));
            }
            String first = value.substring(0, slash);
            String second = value.substring(slash + 1);
            if (isDuration(first)) {
                Instant end = instant(second);
                return Optional.of(new QueryParameters.TimeWindow(end.minus(duration(first)), end));
            }
            Instant start = instant(first);
            if (isDuration(second)) {
                return Optional.of(new QueryParameters.TimeWindow(start, start.plus(duration(second))));
            }
            return Optional.of(new QueryParameters.TimeWindow(start, instant(second)));
        } catch (DateTimeParseException | ArithmeticException exception) {
            return Optional.empty();
        }
    }

    private static boolean isDuration(String text) {
        return text.startsWith("P") || text.startsWith("-P");
    }

    private static Duration duration(String text) {
        return Duration.parse(text);
    }

    private static Instant instant(String text) {
        if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
            return OffsetDateTime.parse(text).toInstant();
        }
        return OffsetDateTime.parse(text + "Z").toInstant();
    }
}
