package io.vigil.detect.rule;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule durations in both spellings Sentinel uses: the short form of the rule YAML ({@code 5m}, {@code 1h},
 * {@code 14d}) and ISO-8601 of the ARM templates and the REST API ({@code PT5H}, {@code P1D}). Days are
 * exactly 24 hours, as in Sentinel's schedule.
 */
public final class RuleDurations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhd])");
    private static final Pattern ISO_DAYS = Pattern.compile("P(\\d+)D");

    private RuleDurations() {}

    public static Optional<Duration> parse(String text) {
        String value = text.strip();
        Matcher shortForm = SHORT.matcher(value);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return Optional.of(
                    switch (shortForm.group(2)) {
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        case "d" -> Duration.ofDays(amount);
                        default -> throw new IllegalStateException("unit outside the pattern " + shortForm.group(2));
                    });
        }
        String upper = value.toUpperCase(Locale.ROOT);
        // java.time.Duration reads P1D and PT5H but not P1DT2H's period-style cousins like P1W; Sentinel writes
        // only days, hours, minutes and seconds
        Matcher days = ISO_DAYS.matcher(upper);
        if (days.matches()) {
            return Optional.of(Duration.ofDays(Long.parseLong(days.group(1))));
        }
        if (!upper.startsWith("P")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.parse(upper));
        } catch (DateTimeParseException exception) {
            return Optional.empty();
        }
    }

    /**
     * ISO-8601 as Sentinel's API writes it: days apart ({@code P1D}, {@code P2DT1H30M}), else {@code PT5H},
     * {@code PT10M}.
     */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.toDays() == 0) {
            return duration.toString();
        }
        Duration rest = duration.minusDays(duration.toDays());
        if (rest.isZero()) {
            return "P" + duration.toDays() + "D";
        }
        // Duration writes "PT1H30M": the time part follows the days
        return "P" + duration.toDays() + "D" + rest.toString().substring(1);
    }
}
