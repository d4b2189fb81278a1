package io.vigil.spi;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.ZoneId;

/**
 * What a format needs besides its input: the catalog to build rows against, a clock and zone for
 * timestamps that lack a year or an offset (RFC 3164), and the record size limit.
 */
public record ParseContext(TableCatalogView catalog, Clock clock, ZoneId zone, int maxRecordBytes) {
    public static final int DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;

    public ParseContext {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(zone, "zone is null");
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
    }

    public static ParseContext of(TableCatalogView catalog, Clock clock) {
        return new ParseContext(catalog, clock, clock.getZone(), DEFAULT_MAX_RECORD_BYTES);
    }
}
