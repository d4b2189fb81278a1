package io.vigil.ingest.syslog;

/**
 * Chooses the format of one syslog message from its bytes, without decoding or parsing it: CEF or LEEF
 * when the content after the syslog header starts with {@code CEF:} or {@code LEEF:} (a version and a
 * {@code |} must follow, as in the formats themselves), RFC 5424 when the PRI is followed by version
 * {@code 1} and a space, RFC 3164 otherwise.
 */
final class SyslogRouter {
    private static final byte[] CEF = {'C', 'E', 'F', ':'};
    private static final byte[] LEEF = {'L', 'E', 'E', 'F', ':'};

    // Mmm dd hh:mm:ss HOSTNAME TAG: is five tokens; CEF senders put the marker where the TAG would be,
    // some after a TAG, so the marker may start any of the first six
    private static final int BSD_HEADER_TOKENS = 6;

    private SyslogRouter() {}

    static SyslogRoute route(byte[] message) {
        int length = message.length;
        int priorityEnd = priorityEnd(message, length);
        // RFC 5424 §6: HEADER = PRI VERSION SP ..., and VERSION is 1
        if (priorityEnd > 0
                && priorityEnd + 1 < length
                && message[priorityEnd] == '1'
                && message[priorityEnd + 1] == ' ') {
            int content = content5424(message, priorityEnd + 2, length);
            if (content >= 0) {
                SyslogRoute payload = payloadAt(message, content, length);
                if (payload != null) {
                    return payload;
                }
            }
            return SyslogRoute.RFC5424;
        }
        int position = priorityEnd;
        for (int token = 0; token <= BSD_HEADER_TOKENS && position < length; token++) {
            SyslogRoute payload = payloadAt(message, position, length);
            if (payload != null) {
                return payload;
            }
            position = nextToken(message, position, length);
        }
        return SyslogRoute.RFC3164;
    }

    /** The index after {@code <PRI>} (RFC 5424 §6.2.1: one to three digits), or 0 without one. */
    private static int priorityEnd(byte[] message, int length) {
        if (length < 3 || message[0] != '<') {
            return 0;
        }
        int position = 1;
        while (position < length && position <= 4 && isDigit(message[position])) {
            position++;
        }
        if (position == 1 || position > 4 || position >= length || message[position] != '>') {
            return 0;
        }
        return position + 1;
    }

    /**
     * Where MSG starts in an RFC 5424 message: after TIMESTAMP, HOSTNAME, APP-NAME, PROCID and MSGID
     * (§6), the STRUCTURED-DATA (§6.3: NILVALUE or SD-ELEMENTs, in which §6.3.3 escapes {@code "},
     * {@code \} and {@code ]} with a backslash), a space and an optional BOM (§6.4); -1 if it has none.
     */
    private static int content5424(byte[] message, int start, int length) {
        int position = start;
        for (int field = 0; field < 5; field++) {
            while (position < length && message[position] != ' ') {
                position++;
            }
            position++;
        }
        if (position >= length) {
            return -1;
        }
        if (message[position] == '-') {
            position++;
        } else {
            while (position < length && message[position] == '[') {
                boolean quoted = false;
                position++;
                while (position < length) {
                    byte b = message[position];
                    if (b == '\\') {
                        position += 2;
                        continue;
                    }
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (b == ']' && !quoted) {
                        break;
                    }
                    position++;
                }
                position++;
            }
        }
        if (position >= length || message[position] != ' ') {
            return -1;
        }
        position++;
        if (position + 2 < length
                && message[position] == (byte) 0xEF
                && message[position + 1] == (byte) 0xBB
                && message[position + 2] == (byte) 0xBF) {
            position += 3;
        }
        return position;
    }

    private static SyslogRoute payloadAt(byte[] message, int position, int length) {
        if (startsWithMarker(message, position, length, CEF)) {
            return SyslogRoute.CEF;
        }
        if (startsWithMarker(message, position, length, LEEF)) {
            return SyslogRoute.LEEF;
        }
        return null;
    }

    /** The marker, then a version of digits and dots, then {@code |}: what the CEF and LEEF formats need. */
    private static boolean startsWithMarker(byte[] message, int position, int length, byte[] marker) {
        if (position + marker.length >= length) {
            return false;
        }
        for (int i = 0; i < marker.length; i++) {
            if (message[position + i] != marker[i]) {
                return false;
            }
        }
        int versionStart = position + marker.length;
        int end = versionStart;
        while (end < length && (isDigit(message[end]) || message[end] == '.')) {
            end++;
        }
        return end > versionStart && end < length && message[end] == '|';
    }

    private static int nextToken(byte[] message, int position, int length) {
        int next = position;
        while (next < length && message[next] != ' ') {
            next++;
        }
        while (next < length && message[next] == ' ') {
            next++;
        }
        return next;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
