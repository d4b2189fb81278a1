package io.vigil.store;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.EventStore;
import io.vigil.spi.Row;
import java.time.Duration;
import java.time.Instant;

/**
 * The TimeGenerated values a table takes at intake: from its retention cutoff ({@link
 * RetentionPolicy#cutoff}) to a day after now. A row outside gets the ingestion time instead, so nothing
 * acknowledged is deleted by the next retention pass (which would otherwise drop a row dated 1800 as soon
 * as the server restarts) and a far-future time cannot hide a row from every time-bounded query.
 *
 * <p>This is Azure's documented rule for the HTTP Data Collector API: a time-generated-field value older
 * than two days or more than a day in the future is replaced by the ingestion time
 * (learn.microsoft.com/azure/azure-monitor/logs/data-collector-api, "Request headers"). The Logs
 * Ingestion API documents no replacement (learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview,
 * "Limits and restrictions" lists only sizes and rates); Azure keeps such rows but its retention would remove
 * them. Vigil applies the replacement to every input, with the table's own retention as the past bound, and
 * counts each replacement as a repair with reason {@value #REPAIR_REASON}.
 */
public final class TimeGeneratedWindow {
    /** The repair reason counted when a time is replaced. */
    public static final String REPAIR_REASON = EventStore.TIME_REPAIR_REASON;

    /** How far ahead of the ingestion time a TimeGenerated may be, as for the Data Collector API. */
    public static final Duration MAX_FUTURE = Duration.ofDays(1);

    private final RetentionPolicy retention;

    public TimeGeneratedWindow(RetentionPolicy retention) {
        this.retention = requireNonNull(retention, "retention is null");
    }

    /** Whether a row of {@code table} dated {@code time} is kept when it arrives at {@code now}. */
    public boolean accepts(String table, Instant time, Instant now) {
        if (time.isAfter(now.plus(MAX_FUTURE))) {
            return false;
        }
        // nearly every row is newer than a whole retention period: the cutoff (at or before it) is not needed
        if (!time.isBefore(now.minus(Duration.ofDays(retention.daysFor(table))))) {
            return true;
        }
        return !time.isBefore(retention.cutoff(table, now));
    }

    /**
     * The row itself when its TimeGenerated is inside the window (or it has none), else a copy dated
     * {@code now}.
     */
    public Row admit(Row row, Instant now) {
        int index = row.table().indexOf("TimeGenerated");
        if (index < 0
                || !(row.get(index) instanceof Instant time)
                || accepts(row.table().name(), time, now)) {
            return row;
        }
        return row.with(index, now);
    }
}
