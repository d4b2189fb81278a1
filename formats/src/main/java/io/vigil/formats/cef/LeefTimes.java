package io.vigil.formats.cef;

import io.vigil.spi.ParseContext;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * LEEF {@code devTime}: epoch milliseconds, or the Java date pattern in {@code devTimeFormat}, or the
 * default {@code MMM dd yyyy HH:mm:ss} (IBM "Predefined LEEF event attributes"; CEF's own forms are
 * accepted too).
 */
final class LeefTimes {
    private LeefTimes() {}

    static Instant parse(String value, String format, ParseContext context) {
        if (format != null && !format.isBlank()) {
            try {
                TemporalAccessor parsed =
                        DateTimeFormatter.ofPattern(format.strip(), Locale.US).parse(value.strip());
                java.time.ZoneId zone = parsed.query(TemporalQueries.zone());
                if (zone == null) {
                    zone = context.zone();
                }
                return ZonedDateTime.of(LocalDateTime.from(parsed), zone).toInstant();
            } catch (DateTimeException | IllegalArgumentException e) {
                // fall back to the standard forms below
            }
        }
        return SecurityLogRow.parseTime(value, context);
    }
}
