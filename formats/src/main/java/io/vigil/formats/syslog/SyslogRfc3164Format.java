package io.vigil.formats.syslog;

import io.vigil.formats.common.TextRecords;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * BSD syslog (RFC 3164) as listeners receive it and as syslog daemons write files: optional {@code <PRI>}
 * (RFC 3164 §4.3.3: none means user.notice), the year-less {@code Mmm dd hh:mm:ss} timestamp resolved
 * against the injected clock and zone (see {@link SyslogTimestamps#resolveYearless}), or an ISO timestamp
 * as rsyslog's file format writes it, then HOSTNAME and {@code TAG[pid]:}. In files, lines that start
 * with a space or tab continue the previous message (macOS and multi-line application logs), joined with
 * a newline. RFC 5424 messages on the same input are parsed too.
 */
public final class SyslogRfc3164Format implements LogFormat {
    public static final String NAME = "syslog_rfc3164";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "BSD syslog (RFC 3164) messages and files, with or without <PRI>, year-less timestamps, continuation lines; into Syslog";
    }

    @Override
    public List<String> outputTables() {
        return List.of(SyslogRows.TABLE);
    }

    @Override
    public int detect(byte[] head) {
        int score = 0;
        // a fixed "now" is enough to recognise a timestamp; resolution does not matter here
        Instant now = Instant.EPOCH;
        for (String line : TextRecords.headLines(head, 4)) {
            if (line.isBlank() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue;
            }
            if (SyslogParser.looksLike5424(line)) {
                return 20;
            }
            int start = Math.max(0, Priority.parseEnd(line));
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            boolean timestamp = SyslogTimestamps.parseBsd(line, start, now, java.time.ZoneOffset.UTC) != null
                    || SyslogTimestamps.parseIso(line, start, java.time.ZoneOffset.UTC) != null;
            if (!timestamp && start == 0) {
                return 0;
            }
            // CEF or LEEF over syslog belongs to those formats, which read the syslog header too
            if (line.contains("CEF:") || line.contains("LEEF:")) {
                return 25;
            }
            if (timestamp && start > 0) {
                score = Math.max(score, 80);
            } else if (timestamp) {
                score = Math.max(score, 70);
            } else {
                score = Math.max(score, 40);
            }
        }
        return score;
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        Pending pending = new Pending();
        TextRecords.forEachLine(source, NAME, input, context.maxRecordBytes(), sink, line -> {
            char first = line.text().charAt(0);
            if ((first == ' ' || first == '\t') && pending.text != null) {
                pending.text.append('\n').append(line.text());
                pending.raw.write('\n');
                pending.raw.writeBytes(line.raw());
                return;
            }
            pending.flush(source, context, sink);
            pending.text = new StringBuilder(line.text());
            pending.raw.writeBytes(line.raw());
        });
        pending.flush(source, context, sink);
    }

    /**
     * Parses one message as a listener receives it (UDP datagram or one TCP frame), with the sender's
     * address or name for the HostIP column and for messages without a HOSTNAME.
     */
    public void parseMessage(byte[] message, String sourceHost, ParseContext context, RecordSink sink) {
        SyslogFraming.parseMessage(NAME, message, sourceHost, context, sink);
    }

    /** The message being assembled from a line and its continuation lines. */
    private static final class Pending {
        private StringBuilder text;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

        void flush(String source, ParseContext context, RecordSink sink) {
            if (text == null) {
                return;
            }
            byte[] bytes = raw.toByteArray();
            if (bytes.length > context.maxRecordBytes()) {
                sink.deadLetter(new DeadLetter(
                        source,
                        NAME,
                        DeadLetterReason.OVERSIZE,
                        "message with continuation lines of " + bytes.length + " bytes exceeds the limit of "
                                + context.maxRecordBytes(),
                        bytes));
            } else {
                SyslogRows.emit(source, NAME, text.toString(), bytes, Optional.empty(), context, sink);
            }
            text = null;
            raw.reset();
        }
    }
}
