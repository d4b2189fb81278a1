package io.vigil.kql.binder;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values of datetime and timespan literals. */
final class LiteralValues {
    /** source: https://learn.microsoft.com/kusto/query/scalar-data-types/timespan */
    private static final Pattern UNIT_TIMESPAN = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]+)");

    /** {@code [-][d.]hh:mm[:ss[.fffffff]]}. */
    private static final Pattern CLOCK_TIMESPAN =
            Pattern.compile("(-)?(?:([0-9]+)\\.)?([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,7}))?)?");

    private static final Map<String, Long> NANOS_PER_UNIT = Map.ofEntries(
            Map.entry("d", 86_400_000_000_000L),
            Map.entry("day", 86_400_000_000_000L),
            Map.entry("days", 86_400_000_000_000L),
            Map.entry("h", 3_600_000_000_000L),
            Map.entry("hr", 3_600_000_000_000L),
            Map.entry("hrs", 3_600_000_000_000L),
            Map.entry("hour", 3_600_000_000_000L),
            Map.entry("hours", 3_600_000_000_000L),
            Map.entry("m", 60_000_000_000L),
            Map.entry("min", 60_000_000_000L),
            Map.entry("minute", 60_000_000_000L),
            Map.entry("minutes", 60_000_000_000L),
            Map.entry("s", 1_000_000_000L),
            Map.entry("sec", 1_000_000_000L),
            Map.entry("second", 1_000_000_000L),
            Map.entry("seconds", 1_000_000_000L),
            Map.entry("ms", 1_000_000L),
            Map.entry("milli", 1_000_000L),
            Map.entry("millis", 1_000_000L),
            Map.entry("millisecond", 1_000_000L),
            Map.entry("milliseconds", 1_000_000L),
            Map.entry("microsecond", 1_000L),
            Map.entry("microseconds", 1_000L),
            Map.entry("tick", 100L),
            Map.entry("ticks", 100L));

    private LiteralValues() {}

    static Optional<Duration> timespan(String text) {
        String trimmed = text.strip();
        Matcher unit = UNIT_TIMESPAN.matcher(trimmed);
        if (unit.matches()) {
            Long nanos = NANOS_PER_UNIT.get(unit.group(2).toLowerCase(Locale.ROOT));
            if (nanos == null) {
                return Optional.empty();
            }
            BigDecimal total = new BigDecimal(unit.group(1)).multiply(BigDecimal.valueOf(nanos));
            return Optional.of(Duration.ofNanos(total.longValue()));
        }
        Matcher clock = CLOCK_TIMESPAN.matcher(trimmed);
        if (clock.matches()) {
            long days = 0;
            if (clock.group(2) != null) {
                days = Long.parseLong(clock.group(2));
            }
            Duration duration = Duration.ofDays(days)
                    .plusHours(Long.parseLong(clock.group(3)))
                    .plusMinutes(Long.parseLong(clock.group(4)));
            if (clock.group(5) != null) {
                duration = duration.plusSeconds(Long.parseLong(clock.group(5)));
            }
            if (clock.group(6) != null) {
                String fraction = (clock.group(6) + "0000000").substring(0, 7);
                duration = duration.plusNanos(Long.parseLong(fraction) * 100);
            }
            if (clock.group(1) != null) {
                duration = duration.negated();
            }
            return Optional.of(duration);
        }
        // a plain number of days (timespan(2) is two days)
        if (trimmed.matches("[0-9]+")) {
            return Optional.of(Duration.ofDays(Long.parseLong(trimmed)));
        }
        return Optional.empty();
    }

    /** ISO 8601 datetimes; without an offset they are UTC. source: https://learn.microsoft.com/kusto/query/scalar-data-types/datetime */
    static Optional<Instant> datetime(String text) {
        // datetime("2019-01-18T10:36:07Z") may quote its value like a string (datetime type page)
        String value = unquote(text.strip()).strip().replace(' ', 'T');
        try {
            if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return Optional.of(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            if (!value.matches(".*(Z|z|[+-]\\d{2}:?\\d{2})$")) {
                value = value + "Z";
            }
            return Optional.of(
                    OffsetDateTime.parse(value.toUpperCase(Locale.ROOT)).toInstant());
        } catch (DateTimeParseException exception) {
            return Optional.empty();
        }
    }

    private static String unquote(String text) {
        if (text.length() >= 2
                && (text.charAt(0) == '\'' || text.charAt(0) == '"')
                && text.charAt(text.length() - 1) == text.charAt(0)) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
