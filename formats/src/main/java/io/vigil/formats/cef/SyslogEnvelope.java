package io.vigil.formats.cef;

import static java.util.Objects.requireNonNull;

import io.vigil.formats.common.TextRecords;
import io.vigil.formats.syslog.SyslogMessage;
import io.vigil.formats.syslog.SyslogParser;
import io.vigil.spi.ParseContext;
import java.time.Instant;
import java.util.Optional;

/**
 * The syslog header in front of a CEF or LEEF payload ({@code <134>Oct 11 22:14:15 host CEF:0|...} or
 * the RFC 5424 form), which gives the event its time and the Computer column.
 */
record SyslogEnvelope(Optional<Instant> time, Optional<String> host) {
    static final SyslogEnvelope NONE = new SyslogEnvelope(Optional.empty(), Optional.empty());

    SyslogEnvelope {
        requireNonNull(time, "time is null");
        requireNonNull(host, "host is null");
    }

    /** Reads the header text before the payload marker; a prefix that is no syslog header gives nothing. */
    static SyslogEnvelope parse(String prefix, ParseContext context) {
        String text = prefix.strip();
        if (text.isEmpty()) {
            return NONE;
        }
        SyslogParser.Result result = SyslogParser.parse(text, context.clock().instant(), context.zone());
        return switch (result) {
            case SyslogParser.Parsed parsed -> from(parsed.message());
            case SyslogParser.Failed failed -> NONE;
        };
    }

    private static SyslogEnvelope from(SyslogMessage message) {
        return new SyslogEnvelope(message.timestamp(), message.hostname());
    }

    /**
     * Where the payload starts: the first {@code marker} (such as {@code CEF:}) followed by a version made
     * of digits and dots and a {@code |}; -1 when there is none.
     */
    static int find(String text, String marker) {
        int from = 0;
        while (true) {
            int index = text.indexOf(marker, from);
            if (index < 0) {
                return -1;
            }
            int position = index + marker.length();
            int versionStart = position;
            while (position < text.length()
                    && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                position++;
            }
            if (position > versionStart && position < text.length() && text.charAt(position) == '|') {
                return index;
            }
            from = index + 1;
        }
    }

    /**
     * Detection score for a format whose messages carry {@code marker} ("CEF:", "LEEF:"): 95 when the
     * first non-blank line starts with it, 90 when a syslog header precedes it (above both syslog
     * formats, which give way when they see the marker), else 0.
     */
    static int detect(byte[] head, String marker) {
        for (String line : TextRecords.headLines(head, 4)) {
            if (line.isBlank()) {
                continue;
            }
            int index = find(line, marker);
            if (index == 0) {
                return 95;
            }
            if (index > 0) {
                return 90;
            }
            return 0;
        }
        return 0;
    }
}
