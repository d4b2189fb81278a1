package io.vigil.formats.common;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** Parses the timestamp spellings found in Azure logs. */
public final class Timestamps {
    // ISO-8601 with 0-9 fraction digits (Azure writes 7), 'T' or ' ' between date and time
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    // the US forms of Azure exports: "11/25/2026 1:05:07 PM", and the portal's "11/16/2020, 11:00:47.500 AM"
    private static final DateTimeFormatter US = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("M/d/yyyy")
            .optionalStart()
            .appendLiteral(',')
            .optionalEnd()
            .appendPattern(" h:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .appendPattern(" a")
            .optionalStart()
            .appendLiteral(' ')
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .toFormatter(Locale.US);

    // syslog-style with the year first, as Cisco UCS writes EventTime: "2020 Sep 25 14:06:21", "2020 Sep  9 19:54:04"
    private static final DateTimeFormatter YEAR_MONTH_NAME =
            DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.US);

    private Timestamps() {}

    /** The instant, or null when the text is not a timestamp. Text without an offset is UTC. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        if (value.isEmpty()) {
            return null;
        }
        Instant iso = parseIsoFast(value);
        if (iso != null) {
            return iso;
        }
        return parseGeneral(value);
    }

    /** Every spelling {@link #parse} accepts, through formatters; {@code value} is trimmed and not empty. */
    static Instant parseGeneral(String value) {
        if (isSlashedIsoDate(value)) {
            // storage resource logs write lastModifiedTime as "2026/10/23 01:25:38.3886224"
            value = value.substring(0, 10).replace('/', '-') + value.substring(10);
        }
        try {
            int offsetStart = offsetStart(value);
            if (offsetStart < 0) {
                return LocalDateTime.parse(value, LOCAL).toInstant(ZoneOffset.UTC);
            }
            LocalDateTime local = LocalDateTime.parse(value.substring(0, offsetStart), LOCAL);
            String offset = value.substring(offsetStart);
            if (offset.equalsIgnoreCase("Z")) {
                return local.toInstant(ZoneOffset.UTC);
            }
            return local.toInstant(ZoneOffset.of(offset));
        } catch (DateTimeParseException e) {
            return parseOtherForms(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The common shape, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}][Z|±HH:MM]}, read digit by digit: nearly every
     * Azure record carries one or more of them, and the formatter below costs several microseconds each.
     * Anything else (and any value out of range) returns null and takes the general path, so the result
     * never differs from it.
     */
    static Instant parseIsoFast(String value) {
        int length = value.length();
        if (length < 19
                || value.charAt(4) != '-'
                || value.charAt(7) != '-'
                || "Tt ".indexOf(value.charAt(10)) < 0
                || value.charAt(13) != ':'
                || value.charAt(16) != ':') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 2);
        int day = digits(value, 8, 2);
        int hour = digits(value, 11, 2);
        int minute = digits(value, 14, 2);
        int second = digits(value, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > lengthOfMonth(year, month)) {
            return null;
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (position < length && value.charAt(position) == '.') {
            int first = ++position;
            while (position < length && position - first < 10 && isDigit(value.charAt(position))) {
                position++;
            }
            int count = position - first;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = digits(value, first, count);
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (position == length) {
            offsetSeconds = 0;
        } else if (position == length - 1 && (value.charAt(position) == 'Z' || value.charAt(position) == 'z')) {
            offsetSeconds = 0;
        } else if (position == length - 6
                && (value.charAt(position) == '+' || value.charAt(position) == '-')
                && value.charAt(position + 3) == ':') {
            int offsetHours = digits(value, position + 1, 2);
            int offsetMinutes = digits(value, position + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = offsetHours * 3600 + offsetMinutes * 60;
            if (value.charAt(position) == '-') {
                offsetSeconds = -offsetSeconds;
            }
            if (Math.abs(offsetSeconds) > 18 * 3600) {
                return null;
            }
        } else {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    private static int lengthOfMonth(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The non-negative number of {@code count} ASCII digits at {@code start}, or -1. */
    private static int digits(String value, int start, int count) {
        int result = 0;
        for (int i = start; i < start + count; i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static Instant parseOtherForms(String value) {
        try {
            java.time.temporal.TemporalAccessor parsed = US.parse(value);
            LocalDateTime local = LocalDateTime.from(parsed);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return local.toInstant(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)));
            }
            return local.toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(value.replaceAll(" +", " "), YEAR_MONTH_NAME)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    /** KQL/.NET timespan text ({@code [d.]hh:mm:ss[.fffffff]}) or ISO-8601 ({@code PT1H}); null otherwise. */
    public static Duration parseTimespan(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.trim();
        try {
            if (value.startsWith("P") || value.startsWith("-P")) {
                return Duration.parse(value);
            }
            boolean negative = value.startsWith("-");
            if (negative) {
                value = value.substring(1);
            }
            long days = 0;
            int colon = value.indexOf(':');
            int dot = value.indexOf('.');
            if (dot >= 0 && dot < colon) {
                days = Long.parseLong(value.substring(0, dot));
                value = value.substring(dot + 1);
            }
            String[] parts = value.split(":");
            if (parts.length != 3) {
                return null;
            }
            double seconds = Double.parseDouble(parts[2]);
            Duration duration = Duration.ofDays(days)
                    .plusHours(Long.parseLong(parts[0]))
                    .plusMinutes(Long.parseLong(parts[1]))
                    .plusNanos(Math.round(seconds * 1_000_000_000L));
            if (negative) {
                return duration.negated();
            }
            return duration;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean isSlashedIsoDate(String value) {
        return value.length() > 10
                && value.charAt(4) == '/'
                && value.charAt(7) == '/'
                && Character.isDigit(value.charAt(0))
                && Character.isDigit(value.charAt(5));
    }

    private static int offsetStart(String value) {
        if (value.endsWith("Z") || value.endsWith("z")) {
            return value.length() - 1;
        }
        int timeStart = value.indexOf(':');
        if (timeStart < 0) {
            return -1;
        }
        for (int i = value.length() - 1; i > timeStart; i--) {
            char c = value.charAt(i);
            if (c == '+' || c == '-') {
                return i;
            }
        }
        return -1;
    }
}
