package io.vigil.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Timespans between DuckDB's interval text and KQL's timespan text. */
public final class TimespanText {
    private static final Pattern INTERVAL = Pattern.compile(
            "(?:(-?\\d+) years? ?)?(?:(-?\\d+) mons? ?)?(?:(-?\\d+) days? ?)?(?:(-)?(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?)?");

    private TimespanText() {}

    /** DuckDB's interval text ({@code 1 day 02:00:00.5}); a month counts 30 days, as DuckDB compares them. */
    public static Duration parseInterval(String text) {
        Matcher matcher = INTERVAL.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalStateException("unexpected interval text " + text);
        }
        Duration duration = Duration.ZERO;
        if (matcher.group(1) != null) {
            duration = duration.plusDays(360L * Long.parseLong(matcher.group(1)));
        }
        if (matcher.group(2) != null) {
            duration = duration.plusDays(30L * Long.parseLong(matcher.group(2)));
        }
        if (matcher.group(3) != null) {
            duration = duration.plusDays(Long.parseLong(matcher.group(3)));
        }
        if (matcher.group(5) != null) {
            Duration clockPart = Duration.ofHours(Long.parseLong(matcher.group(5)))
                    .plusMinutes(Long.parseLong(matcher.group(6)))
                    .plusSeconds(Long.parseLong(matcher.group(7)));
            if (matcher.group(8) != null) {
                String nanos = (matcher.group(8) + "000000000").substring(0, 9);
                clockPart = clockPart.plusNanos(Long.parseLong(nanos));
            }
            if (matcher.group(4) != null) {
                clockPart = clockPart.negated();
            }
            duration = duration.plus(clockPart);
        }
        return duration;
    }

    /** KQL's timespan text: {@code [-][d.]hh:mm:ss[.fffffff]} (scalar-data-types/timespan). */
    public static String format(Duration duration) {
        StringBuilder text = new StringBuilder();
        Duration value = duration;
        if (value.isNegative()) {
            text.append('-');
            value = value.negated();
        }
        long days = value.toDays();
        if (days > 0) {
            text.append(days).append('.');
        }
        text.append(String.format(
                Locale.ROOT, "%02d:%02d:%02d", value.toHoursPart(), value.toMinutesPart(), value.toSecondsPart()));
        long ticks = value.toNanosPart() / 100;
        if (ticks > 0) {
            text.append(String.format(Locale.ROOT, ".%07d", ticks));
        }
        return text.toString();
    }
}
