package io.vigil.formats.syslog;

import static java.util.Objects.requireNonNull;

/**
 * The PRI part of a syslog message: {@code <facility * 8 + severity>}, 1 to 3 digits, 0..191
 * (RFC 5424 §6.2.1, RFC 3164 §4.1.1).
 */
public record Priority(Facility facility, Severity severity) {
    /**
     * RFC 3164 §4.3.3: a relay that receives a message without a PRI adds {@code <13>} (user.notice);
     * a file line without one is read the same way.
     */
    public static final Priority DEFAULT = new Priority(Facility.USER, Severity.NOTICE);

    public Priority {
        requireNonNull(facility, "facility is null");
        requireNonNull(severity, "severity is null");
    }

    public static Priority ofValue(int value) {
        return new Priority(Facility.ofCode(value / 8), Severity.ofCode(value % 8));
    }

    /**
     * Reads {@code <N>} at the start of {@code text}; returns the index after {@code >}, or -1 when there
     * is no valid PRI. RFC 5424 §6.2.1 forbids leading zeros except for {@code <0>}.
     */
    static int parseEnd(String text) {
        if (text.length() < 3 || text.charAt(0) != '<') {
            return -1;
        }
        int close = -1;
        for (int i = 1; i < Math.min(text.length(), 5); i++) {
            char c = text.charAt(i);
            if (c == '>') {
                close = i;
                break;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        if (close < 2) {
            return -1;
        }
        if (close > 2 && text.charAt(1) == '0') {
            return -1;
        }
        int value = Integer.parseInt(text.substring(1, close));
        if (value > 191) {
            return -1;
        }
        return close + 1;
    }

    static Priority parse(String text) {
        int end = parseEnd(text);
        return ofValue(Integer.parseInt(text.substring(1, end - 1)));
    }
}
