package io.vigil.formats.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.DeadLetterReason;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Parses one syslog message, RFC 5424 when the PRI is followed by version {@code 1} and a space, RFC 3164
 * otherwise. One listener port receives both kinds, so both formats accept both.
 */
public final class SyslogParser {
    private static final char BOM = '\uFEFF';

    private SyslogParser() {}

    /** The outcome of parsing one message. */
    public sealed interface Result permits Parsed, Failed {}

    /** A parsed message. */
    public record Parsed(SyslogMessage message) implements Result {
        public Parsed {
            requireNonNull(message, "message is null");
        }
    }

    /** A message that could not be parsed, with a bounded reason. */
    public record Failed(DeadLetterReason reason, String detail) implements Result {
        public Failed {
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** Parses {@code text}; year-less timestamps are resolved against {@code now} in {@code zone}. */
    public static Result parse(String text, Instant now, ZoneId zone) {
        int priorityEnd = Priority.parseEnd(text);
        if (priorityEnd > 0 && text.startsWith("1 ", priorityEnd)) {
            return parse5424(text, priorityEnd + 2, Priority.parse(text));
        }
        return parse3164(text, now, zone);
    }

    /** Whether the text starts like an RFC 5424 message ({@code <PRI>1 }). */
    public static boolean looksLike5424(String text) {
        int priorityEnd = Priority.parseEnd(text);
        return priorityEnd > 0 && text.startsWith("1 ", priorityEnd);
    }

    // RFC 3164 §4.1: PRI HEADER(TIMESTAMP SP HOSTNAME SP) MSG(TAG CONTENT); every part is optional in
    // practice, and §4.3.2/§4.3.3 say a message without a valid header is all content
    private static Result parse3164(String text, Instant now, ZoneId zone) {
        Priority priority = Priority.DEFAULT;
        boolean hadPriority = false;
        int position = 0;
        int priorityEnd = Priority.parseEnd(text);
        if (priorityEnd > 0) {
            priority = Priority.parse(text);
            hadPriority = true;
            position = priorityEnd;
            // some senders put a space after the PRI ("<189> Jun 18 10:55:50 host ...")
            if (position < text.length() && text.charAt(position) == ' ') {
                position++;
            }
        }
        Optional<Instant> timestamp = Optional.empty();
        Optional<String> hostname = Optional.empty();
        SyslogTimestamps.Parsed parsedTime = SyslogTimestamps.parseBsd(text, position, now, zone);
        if (parsedTime == null) {
            parsedTime = SyslogTimestamps.parseIso(text, position, zone);
        }
        if (parsedTime != null) {
            timestamp = Optional.of(parsedTime.instant());
            position = skipSpaces(text, parsedTime.end());
            int hostEnd = tokenEnd(text, position);
            String candidate = text.substring(position, hostEnd);
            if (isHostname(candidate)) {
                hostname = Optional.of(candidate);
                position = skipOneSpace(text, hostEnd);
            }
        } else if (!hadPriority) {
            return new Failed(DeadLetterReason.MALFORMED_LINE, "no PRI and no timestamp at the start of the line");
        }
        Optional<String> tag = Optional.empty();
        Optional<String> procId = Optional.empty();
        int tagEnd = position;
        while (tagEnd < text.length() && tagEnd - position < 64) {
            char c = text.charAt(tagEnd);
            if (c == '[' || c == ':' || c == ' ') {
                break;
            }
            tagEnd++;
        }
        if (tagEnd > position && tagEnd < text.length()) {
            char after = text.charAt(tagEnd);
            if (after == '[') {
                int close = text.indexOf(']', tagEnd);
                if (close > tagEnd + 1 && close - tagEnd <= 130) {
                    tag = Optional.of(text.substring(position, tagEnd));
                    procId = Optional.of(text.substring(tagEnd + 1, close));
                    position = close + 1;
                    if (position < text.length() && text.charAt(position) == ':') {
                        position++;
                    }
                    position = skipOneSpace(text, position);
                }
            } else if (after == ':') {
                tag = Optional.of(text.substring(position, tagEnd));
                position = skipOneSpace(text, tagEnd + 1);
            }
        }
        return new Parsed(new SyslogMessage(
                priority,
                hadPriority,
                timestamp,
                hostname,
                tag,
                procId,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                text.substring(position)));
    }

    // RFC 5424 §6: HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID,
    // then SP STRUCTURED-DATA [SP MSG]
    private static Result parse5424(String text, int start, Priority priority) {
        String[] fields = new String[5];
        int position = start;
        for (int i = 0; i < fields.length; i++) {
            int end = text.indexOf(' ', position);
            if (end < 0) {
                return new Failed(DeadLetterReason.TRUNCATED, "RFC 5424 header ends after " + i + " of 5 fields");
            }
            if (end == position) {
                return new Failed(DeadLetterReason.MALFORMED_LINE, "empty RFC 5424 header field at " + position);
            }
            fields[i] = text.substring(position, end);
            position = end + 1;
        }
        Optional<Instant> timestamp = Optional.empty();
        if (!fields[0].equals("-")) {
            SyslogTimestamps.Parsed parsed = SyslogTimestamps.parseIso(fields[0], 0, java.time.ZoneOffset.UTC);
            if (parsed == null || parsed.end() != fields[0].length() || !hasOffset(fields[0])) {
                return new Failed(DeadLetterReason.BAD_TIMESTAMP, "not an RFC 3339 timestamp: " + fields[0]);
            }
            timestamp = Optional.of(parsed.instant());
        }
        StructuredData.Parsed structured;
        try {
            structured = StructuredData.parse(text, position);
        } catch (StructuredData.MalformedException e) {
            return new Failed(DeadLetterReason.MALFORMED_LINE, "structured data: " + e.getMessage());
        }
        Optional<String> structuredText = Optional.empty();
        if (!structured.elements().isEmpty()) {
            structuredText = Optional.of(text.substring(position, structured.end()));
        }
        position = structured.end();
        String message = "";
        if (position < text.length()) {
            if (text.charAt(position) != ' ') {
                return new Failed(DeadLetterReason.MALFORMED_LINE, "expected a space before MSG at " + position);
            }
            message = text.substring(position + 1);
            // §6.4: MSG-UTF8 starts with a BOM; it marks the encoding and is not part of the text
            if (!message.isEmpty() && message.charAt(0) == BOM) {
                message = message.substring(1);
            }
        }
        return new Parsed(new SyslogMessage(
                priority,
                true,
                timestamp,
                nil(fields[1]),
                nil(fields[2]),
                nil(fields[3]),
                nil(fields[4]),
                structuredText,
                structured.elements(),
                message));
    }

    private static boolean hasOffset(String timestamp) {
        char last = timestamp.charAt(timestamp.length() - 1);
        return last == 'Z'
                || (timestamp.length() > 6
                        && timestamp.charAt(timestamp.length() - 3) == ':'
                        && (timestamp.charAt(timestamp.length() - 6) == '+'
                                || timestamp.charAt(timestamp.length() - 6) == '-'));
    }

    private static Optional<String> nil(String field) {
        if (field.equals("-")) {
            return Optional.empty();
        }
        return Optional.of(field);
    }

    private static int tokenEnd(String text, int start) {
        int end = start;
        while (end < text.length() && text.charAt(end) != ' ') {
            end++;
        }
        return end;
    }

    private static int skipSpaces(String text, int start) {
        int position = start;
        while (position < text.length() && text.charAt(position) == ' ') {
            position++;
        }
        return position;
    }

    private static int skipOneSpace(String text, int start) {
        if (start < text.length() && text.charAt(start) == ' ') {
            return start + 1;
        }
        return start;
    }

    /**
     * A HOSTNAME is a name or an IPv4/IPv6 address (RFC 3164 §4.1.2); a token ending in ':' or holding
     * '[' is the TAG of a message whose sender left the hostname out, and a token of punctuation only
     * ("--- last message repeated") is content.
     */
    private static boolean isHostname(String token) {
        if (token.isEmpty() || token.endsWith(":") || token.length() > 255) {
            return false;
        }
        boolean alphanumeric = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                alphanumeric = true;
            } else if (c != '.' && c != '-' && c != '_' && c != ':' && c != '%') {
                return false;
            }
        }
        return alphanumeric;
    }
}
