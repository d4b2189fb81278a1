package io.vigil.formats.syslog;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Syslog timestamp spellings: the RFC 3164 year-less BSD form, the RFC 5424 / RFC 3339 form, and the
 * variants real senders put in a BSD header (a year, fractional seconds, an ISO timestamp).
 */
public final class SyslogTimestamps {
    /** A year-less date more than this far after "now" belongs to the previous year. */
    static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private SyslogTimestamps() {}

    /** A timestamp read from {@code text} and the index just after it. */
    public record Parsed(Instant instant, int end) {}

    /**
     * Resolves a year-less local date and time (RFC 3164 §4.1.2 has no year and no zone) against
     * {@code now}: the sender's clock is assumed to be in {@code zone}, and the year is the latest one
     * that does not put the message more than a day in the future (a log written on 31 December and read
     * on 1 January belongs to the old year). Returns null when no year in the last eight has that date
     * (29 February).
     */
    public static Instant resolveYearless(int month, int day, LocalTime time, Instant now, ZoneId zone) {
        int year = now.atZone(zone).getYear();
        Instant latest = now.plus(FUTURE_TOLERANCE);
        for (int candidateYear = year + 1; candidateYear >= year - 8; candidateYear--) {
            LocalDate date;
            try {
                date = LocalDate.of(candidateYear, month, day);
            } catch (DateTimeException e) {
                continue;
            }
            Instant candidate = LocalDateTime.of(date, time).atZone(zone).toInstant();
            if (!candidate.isAfter(latest)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Reads a BSD timestamp at {@code start}: {@code Mmm dd hh:mm:ss} with the day space-padded
     * ({@code Oct  1}) or not ({@code Oct 1}, as macOS writes it), optional fractional seconds, and an
     * optional year after the day ({@code Mmm dd yyyy hh:mm:ss}, Cisco) or before the month
     * ({@code yyyy Mmm dd hh:mm:ss}, Cisco UCS). A timestamp without a year is resolved with
     * {@link #resolveYearless}. Returns null when there is none.
     */
    public static Parsed parseBsd(String text, int start, Instant now, ZoneId zone) {
        Cursor cursor = new Cursor(text, start);
        int leadingYear = -1;
        if (cursor.digits(4) && cursor.peek(4) == ' ') {
            leadingYear = Integer.parseInt(text.substring(start, start + 4));
            cursor.position += 5;
        }
        int month = cursor.month();
        if (month < 0 || !cursor.skip(' ')) {
            return null;
        }
        cursor.skip(' ');
        int day = cursor.number(1, 2);
        if (day < 1 || day > 31 || !cursor.skip(' ')) {
            return null;
        }
        int year = leadingYear;
        if (year < 0 && cursor.digits(4) && cursor.peek(4) == ' ') {
            year = cursor.number(4, 4);
            cursor.skip(' ');
        }
        LocalTime time = cursor.time();
        if (time == null) {
            return null;
        }
        Instant instant;
        if (year < 0) {
            instant = resolveYearless(month, day, time, now, zone);
        } else {
            try {
                instant = LocalDateTime.of(LocalDate.of(year, month, day), time)
                        .atZone(zone)
                        .toInstant();
            } catch (DateTimeException e) {
                return null;
            }
        }
        if (instant == null) {
            return null;
        }
        return new Parsed(instant, cursor.position);
    }

    /**
     * Reads an RFC 3339 timestamp (RFC 5424 §6.2.3) ending at the next space or the end of the text;
     * without an offset (as some BSD senders write it) the time is local to {@code zone}.
     */
    public static Parsed parseIso(String text, int start, ZoneId zone) {
        int end = text.indexOf(' ', start);
        if (end < 0) {
            end = text.length();
        }
        if (end - start < 19 || text.charAt(start + 4) != '-' || text.charAt(start + 10) != 'T') {
            return null;
        }
        String value = text.substring(start, end);
        try {
            return new Parsed(
                    OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant(),
                    end);
        } catch (DateTimeParseException e) {
            try {
                LocalDateTime local = LocalDateTime.parse(value, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                return new Parsed(local.atZone(zone).toInstant(), end);
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    /** A small reader over the header text; every method leaves the position unchanged on failure. */
    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text, int position) {
            this.text = text;
            this.position = position;
        }

        char peek(int offset) {
            int index = position + offset;
            if (index >= text.length()) {
                return '\0';
            }
            return text.charAt(index);
        }

        boolean skip(char expected) {
            if (peek(0) == expected) {
                position++;
                return true;
            }
            return false;
        }

        boolean digits(int count) {
            for (int i = 0; i < count; i++) {
                char c = peek(i);
                if (c < '0' || c > '9') {
                    return false;
                }
            }
            return true;
        }

        /** A number of {@code min} to {@code max} digits, or -1. */
        int number(int min, int max) {
            int count = 0;
            while (count < max && digits(count + 1)) {
                count++;
            }
            if (count < min) {
                return -1;
            }
            int value = Integer.parseInt(text.substring(position, position + count));
            position += count;
            return value;
        }

        /** 1..12 for an English month abbreviation, or -1. */
        int month() {
            if (position + 3 > text.length()) {
                return -1;
            }
            String candidate = text.substring(position, position + 3);
            for (int i = 0; i < MONTHS.length; i++) {
                if (MONTHS[i].equalsIgnoreCase(candidate)) {
                    position += 3;
                    return i + 1;
                }
            }
            return -1;
        }

        /** {@code hh:mm:ss[.fraction]}, or null. */
        LocalTime time() {
            int saved = position;
            int hour = number(2, 2);
            if (hour < 0 || !skip(':')) {
                position = saved;
                return null;
            }
            int minute = number(2, 2);
            if (minute < 0 || !skip(':')) {
                position = saved;
                return null;
            }
            int second = number(2, 2);
            if (second < 0) {
                position = saved;
                return null;
            }
            int nanos = 0;
            if (peek(0) == '.' && Character.isDigit(peek(1))) {
                position++;
                int fractionStart = position;
                while (Character.isDigit(peek(0)) && position - fractionStart < 9) {
                    position++;
                }
                String fraction = text.substring(fractionStart, position);
                nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
                while (Character.isDigit(peek(0))) {
                    position++;
                }
            }
            if (hour > 23 || minute > 59 || second > 59) {
                position = saved;
                return null;
            }
            return LocalTime.of(hour, minute, second, nanos);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s@%d", text, position);
        }
    }
}
