package io.vigil.forward;

import io.vigil.spi.Row;
import java.util.Locale;

/**
 * Sentinel's severities (SecurityAlert.AlertSeverity, SecurityIncident.Severity: Informational, Low,
 * Medium, High) on CEF's and LEEF's 0-10 scale, where ArcSight reads 0-3 as Low, 4-6 Medium, 7-8 High and
 * 9-10 Very-High ("Implementing ArcSight CEF", Severity), and on syslog's severities (RFC 5424 table 2).
 */
final class Severities {
    private Severities() {}

    /** A row's severity on the 0-10 scale: from its Sentinel or CEF severity column, else 0. */
    static int of(Row row) {
        return switch (row.table().name()) {
            case "SecurityAlert" -> fromSentinel(value(row, "AlertSeverity"));
            case "SecurityIncident" -> fromSentinel(value(row, "Severity"));
            case "CommonSecurityLog" -> fromCef(value(row, "LogSeverity"));
            default -> 0;
        };
    }

    /** A column's value; null when a route's filter projected the column away. */
    private static Object value(Row row, String column) {
        if (row.table().indexOf(column) < 0) {
            return null;
        }
        return row.get(column);
    }

    static int fromSentinel(Object severity) {
        if (severity == null) {
            return 0;
        }
        return switch (severity.toString().toLowerCase(Locale.ROOT)) {
            case "informational" -> 1;
            case "low" -> 3;
            case "medium" -> 5;
            case "high" -> 8;
            default -> 0;
        };
    }

    /** A CEF severity field as sent: 0-10, or the words Low, Medium, High, Very-High. */
    static int fromCef(Object severity) {
        if (severity == null) {
            return 0;
        }
        String text = severity.toString().strip();
        switch (text.toLowerCase(Locale.ROOT)) {
            case "low" -> {
                return 3;
            }
            case "medium" -> {
                return 5;
            }
            case "high" -> {
                return 8;
            }
            case "very-high" -> {
                return 10;
            }
            default -> {
                // a number, below
            }
        }
        try {
            return Math.clamp(Integer.parseInt(text), 0, 10);
        } catch (NumberFormatException e) {
            return fromSentinel(text);
        }
    }

    /** The syslog severity (0 emergency … 7 debug) of a 0-10 event severity. */
    static int syslog(int severity) {
        if (severity >= 9) {
            return 2;
        }
        if (severity >= 7) {
            return 3;
        }
        if (severity >= 4) {
            return 4;
        }
        if (severity >= 1) {
            return 5;
        }
        return 6;
    }
}
