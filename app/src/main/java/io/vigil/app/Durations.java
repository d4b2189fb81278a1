package io.vigil.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as the command-line flags take them: {@code 500ms}, {@code 90s}, {@code 3m}, {@code 1h} or ISO 8601. */
final class Durations {
    private Durations() {}

    /**
     * Parses a flag's value.
     *
     * @throws IllegalArgumentException naming the flag when the text is not a duration
     */
    static Duration parse(String flag, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("unit");
            };
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    flag + " '" + text + "' is not a duration such as 500ms, 90s, 3m, 1h or PT3M");
        }
    }
}
