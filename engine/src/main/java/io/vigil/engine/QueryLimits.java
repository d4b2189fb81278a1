package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How far a query may go, as Log Analytics limits it: a timeout, and a result cut (reported as a
 * partial result) at a record count or an approximate size.
 *
 * @param maxBytes the result's size counted as text in UTF-16 units and every other value as 8 bytes
 */
public record QueryLimits(Duration timeout, int maxRows, long maxBytes) {
    /** Log Analytics' defaults: 3 minutes, 500,000 records, 64 MB. */
    public static final QueryLimits DEFAULT = new QueryLimits(Duration.ofMinutes(3), 500_000, 64L * 1024 * 1024);

    public QueryLimits {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the query timeout must be positive");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("the row limit must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the size limit must be positive");
        }
    }

    /** A limit as people write it: {@code 3 minutes}, {@code 90 seconds}, {@code 250 ms}. */
    public static String describe(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.toSeconds() == 0) {
            return duration.toMillis() + " ms";
        }
        if (duration.toSecondsPart() == 0 && duration.toMinutes() > 0) {
            return plural(duration.toMinutes(), "minute");
        }
        return plural(duration.toSeconds(), "second");
    }

    private static String plural(long count, String unit) {
        if (count == 1) {
            return "1 " + unit;
        }
        return count + " " + unit + "s";
    }
}
