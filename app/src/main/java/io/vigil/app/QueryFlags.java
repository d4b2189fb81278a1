package io.vigil.app;

import io.vigil.engine.QueryLimits;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
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
            return new QueryLimits(Durations.parse("--query-timeout", timeout), maxRows, maxBytes);
        } catch (IllegalArgumentException e) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, e.getMessage());
        }
    }
}
