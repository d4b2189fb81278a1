package io.vigil.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Days to keep per table (Log Analytics' per-table retention); tables not listed keep the default. */
public record RetentionPolicy(int defaultDays, Map<String, Integer> daysByTable) {
    public static final RetentionPolicy DEFAULT = new RetentionPolicy(90, Map.of());

    public RetentionPolicy {
        daysByTable = Map.copyOf(requireNonNull(daysByTable, "daysByTable is null"));
        if (defaultDays < 1) {
            throw new IllegalArgumentException("retention must be at least one day");
        }
        daysByTable.forEach((table, days) -> {
            if (days < 1) {
                throw new IllegalArgumentException("retention of " + table + " must be at least one day");
            }
        });
    }

    public int daysFor(String table) {
        return daysByTable.getOrDefault(table, defaultDays);
    }

    /**
     * The oldest TimeGenerated a table keeps at {@code now}: the start of the UTC day {@code days} before, so
     * a day is either kept whole or deleted whole. Retention deletes below it and intake refuses to
     * acknowledge a time below it ({@link TimeGeneratedWindow}), from this one computation.
     */
    public Instant cutoff(String table, Instant now) {
        return now.minus(Duration.ofDays(daysFor(table)))
                .atOffset(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS)
                .toInstant();
    }
}
