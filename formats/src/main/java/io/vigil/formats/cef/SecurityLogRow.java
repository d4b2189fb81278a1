package io.vigil.formats.cef;

import io.vigil.formats.syslog.SyslogTimestamps;
import io.vigil.spi.Column;
import io.vigil.spi.ParseContext;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A CommonSecurityLog row being filled from CEF or LEEF pairs: mapped keys go to their typed column, and
 * everything else (unknown keys, and values the column's type cannot hold) goes to AdditionalExtensions
 * as {@code key=value;key=value} with the value as sent, which is how Azure stores them.
 */
final class SecurityLogRow {
    static final String TABLE = "CommonSecurityLog";

    // CEF date formats ("Implementing ArcSight CEF", rev. 25, "Date formats"): epoch milliseconds or
    // "MMM dd[ yyyy] HH:mm:ss[.SSS][ zzz]"
    private static final DateTimeFormatter CEF_DATE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("MMM dd")
            .optionalStart()
            .appendPattern(" yyyy")
            .optionalEnd()
            .appendPattern(" HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .appendZoneText(java.time.format.TextStyle.SHORT)
            .optionalEnd()
            .toFormatter(Locale.US);

    private final TableSchema schema;
    private final Row.Builder row;
    private final List<String> additional = new ArrayList<>();
    private final ParseContext context;

    SecurityLogRow(ParseContext context) {
        this.context = context;
        this.schema = context.catalog().table(TABLE).orElseThrow();
        this.row = schema.newRow();
    }

    void setText(String column, String value) {
        row.set(column, value);
    }

    Object get(String column) {
        return row.get(column);
    }

    /** Sets the mapped columns of {@code key}, or keeps the pair in AdditionalExtensions. */
    void put(String key, String rawValue, String value, List<String> columns) {
        boolean stored = false;
        for (String column : columns) {
            Optional<Object> typed = convert(schema.column(column).orElseThrow(), value);
            if (typed.isPresent()) {
                row.set(column, typed.get());
                stored = true;
            }
        }
        if (!stored) {
            keep(key, rawValue);
        }
    }

    void keep(String key, String rawValue) {
        additional.add(key + "=" + rawValue);
    }

    void keepText(String text) {
        additional.add(text);
    }

    Row build(Instant time) {
        row.set("TimeGenerated", time);
        if (!additional.isEmpty()) {
            row.set("AdditionalExtensions", String.join(";", additional));
        }
        row.set("Type", TABLE);
        return row.build();
    }

    private Optional<Object> convert(Column column, String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return switch (column.type()) {
                case STRING, GUID -> Optional.of(value);
                case INT -> Optional.of(Integer.parseInt(value.strip()));
                case LONG -> Optional.of(Long.parseLong(value.strip()));
                case REAL -> Optional.of(Double.parseDouble(value.strip()));
                case BOOL -> Optional.empty();
                case DATETIME -> Optional.ofNullable(parseTime(value, context));
                case TIMESPAN, DYNAMIC -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A CEF timestamp: epoch milliseconds, or {@code MMM dd[ yyyy] HH:mm:ss[.SSS][ zzz]}; without a zone
     * the time is in the context zone, without a year it is resolved like a BSD syslog timestamp.
     */
    static Instant parseTime(String value, ParseContext context) {
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 15) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            TemporalAccessor parsed = CEF_DATE.parse(text);
            ZoneId zone = context.zone();
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    || parsed.query(java.time.temporal.TemporalQueries.zone()) != null) {
                zone = parsed.query(java.time.temporal.TemporalQueries.zone());
            }
            LocalTime time = LocalTime.from(parsed);
            int month = parsed.get(ChronoField.MONTH_OF_YEAR);
            int day = parsed.get(ChronoField.DAY_OF_MONTH);
            if (!parsed.isSupported(ChronoField.YEAR)) {
                return SyslogTimestamps.resolveYearless(
                        month, day, time, context.clock().instant(), zone);
            }
            LocalDateTime local = LocalDateTime.of(parsed.get(ChronoField.YEAR), month, day, 0, 0)
                    .with(time);
            return ZonedDateTime.of(local, zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        } catch (DateTimeException e) {
            return null;
        }
    }
}
