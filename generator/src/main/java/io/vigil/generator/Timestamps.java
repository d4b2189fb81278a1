package io.vigil.generator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The timestamp spellings of each wire format, all in UTC and independent of the default locale. */
final class Timestamps {
    // month and day names are spelled out rather than taken from a locale: RFC 3164 and RFC 850
    // dates are English by definition, whatever the JVM locale
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

    private static final DateTimeFormatter AZURE = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OFFSET_7 = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'+00:00'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC5424 = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter WINDOWS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'00Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private Timestamps() {}

    /** Azure Monitor style: ISO 8601, 7 fractional digits, Z. */
    static String azure(Instant instant) {
        return AZURE.format(instant);
    }

    static String millis(Instant instant) {
        return MILLIS.format(instant);
    }

    /** Entra audit {@code activityDateTime} style: 7 fractional digits and an explicit +00:00 offset. */
    static String offset(Instant instant) {
        return OFFSET_7.format(instant);
    }

    /** RFC 5424 section 6.2.3 TIMESTAMP with microseconds. */
    static String rfc5424(Instant instant) {
        return RFC5424.format(instant);
    }

    /** Windows SystemTime as wevtutil prints it: 100 ns ticks padded to 9 digits. */
    static String windows(Instant instant) {
        return WINDOWS.format(instant);
    }

    /** RFC 3164 section 4.1.2 TIMESTAMP: "Mmm dd hh:mm:ss", day padded with a space. */
    static String rfc3164(Instant instant) {
        LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        String day = Integer.toString(time.getDayOfMonth());
        if (day.length() == 1) {
            day = " " + day;
        }
        return MONTHS[time.getMonthValue() - 1] + " " + day + " " + CLOCK.format(time);
    }

    /** RFC 850 date as Storage Analytics writes last-modified-time: "Thursday, 19-Jun-14 22:58:10 GMT". */
    static String rfc850(Instant instant) {
        LocalDateTime time = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return String.format(
                Locale.ROOT,
                "%s, %02d-%s-%02d %s GMT",
                DAYS[time.getDayOfWeek().getValue() - 1],
                time.getDayOfMonth(),
                MONTHS[time.getMonthValue() - 1],
                time.getYear() % 100,
                CLOCK.format(time));
    }

    /** Application Insights TimeSpan "hh:mm:ss.fff" (or "d.hh:mm:ss.fff" past a day). */
    static String timeSpan(long millis) {
        long days = millis / 86_400_000L;
        long rest = millis % 86_400_000L;
        String clock = String.format(
                Locale.ROOT,
                "%02d:%02d:%02d.%03d",
                rest / 3_600_000L,
                (rest / 60_000L) % 60,
                (rest / 1000L) % 60,
                rest % 1000L);
        if (days > 0) {
            return days + "." + clock;
        }
        return clock;
    }

    /** Hour-partition path segments of the diagnostic-settings blob layout: y=/m=/d=/h=/m=00. */
    static String hourPartition(Instant hour) {
        LocalDateTime time = LocalDateTime.ofInstant(hour, ZoneOffset.UTC);
        return String.format(
                Locale.ROOT,
                "y=%04d/m=%02d/d=%02d/h=%02d/m=00",
                time.getYear(),
                time.getMonthValue(),
                time.getDayOfMonth(),
                time.getHour());
    }

    /** Storage Analytics $logs hour folder: YYYY/MM/DD/hh00. */
    static String analyticsPartition(Instant hour) {
        LocalDateTime time = LocalDateTime.ofInstant(hour, ZoneOffset.UTC);
        return String.format(
                Locale.ROOT,
                "%04d/%02d/%02d/%02d00",
                time.getYear(),
                time.getMonthValue(),
                time.getDayOfMonth(),
                time.getHour());
    }

    static Instant truncateToHour(Instant instant) {
        return Instant.ofEpochSecond(Math.floorDiv(instant.getEpochSecond(), 3600) * 3600);
    }
}
