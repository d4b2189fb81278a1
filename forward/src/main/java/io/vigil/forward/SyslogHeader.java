package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The RFC 5424 header before each message: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID - MSG},
 * PRI = facility × 8 + severity (section 6.2.1), the timestamp in UTC with milliseconds, MSGID the table
 * (cut to the 32 characters section 6 allows), no structured data.
 *
 * @param facility the syslog facility, 0-23 (10, authpriv, by default: security messages)
 * @param hostName the HOSTNAME field, printable US-ASCII without spaces, up to 255 characters
 */
public record SyslogHeader(int facility, String hostName) {
    public static final int DEFAULT_FACILITY = 10;
    static final String APP_NAME = "vigil";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public SyslogHeader {
        requireNonNull(hostName, "hostName is null");
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("syslog facility must be 0-23, not " + facility);
        }
        if (hostName.isEmpty() || hostName.length() > 255 || !printableAscii(hostName)) {
            throw new IllegalArgumentException(
                    "syslog host name must be 1-255 printable ASCII characters without spaces");
        }
    }

    String format(int severity, Instant time, String messageId, String message) {
        return "<" + (facility * 8 + Severities.syslog(severity)) + ">1 " + TIMESTAMP.format(time) + " " + hostName
                + " " + APP_NAME + " - " + messageIdField(messageId) + " - " + message;
    }

    private static String messageIdField(String messageId) {
        String cut = Texts.truncate(messageId, 32);
        if (cut.isEmpty() || !printableAscii(cut)) {
            return "-";
        }
        return cut;
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }
}
