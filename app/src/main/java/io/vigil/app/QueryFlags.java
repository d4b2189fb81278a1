package io.vigil.app;

import io.vigil.app.query.QueryLimits;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Limits of the queries the server's API runs (Log Analytics' defaults). */
final class QueryFlags {
    @Option(
            names = "--query-timeout",
            paramLabel = "DURATION",
            defaultValue = "3m",
            description = "Longest a query may run: 90s, 3m, 1h or ISO 8601 (PT3M). Default: ${DEFAULT-VALUE}")
    String timeout;

    @Option(
            names = "--query-max-rows",
            paramLabel = "N",
            defaultValue = "500000",
            description = "Records a query returns at most; more are cut and reported as a PartialError."
                    + " Default: ${DEFAULT-VALUE}")
    int maxRows;

    @Option(
            names = "--query-max-bytes",
            paramLabel = "N",
            defaultValue = "67108864",
            description = "Approximate result size at most (text per character, other values 8 bytes); more"
                    + " is cut and reported as a PartialError. Default: ${DEFAULT-VALUE} (64 MB)")
    long maxBytes;

    QueryLimits limits() {
        try {
            return new QueryLimits(duration(timeout), maxRows, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, e.getMessage());
        }
    }

    private static Duration duration(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt") || value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
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
                    "--query-timeout '" + text + "' is not a duration such as 90s, 3m, 1h or PT3M");
        }
    }
}
